import type { PayloadOf } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import { insertReleasedMarker, lockReservation } from '../data/reservations';
import { announce, type Cause, type Outgoing } from '../messaging/emit';
import { endReservation } from './held-stock';

export type ReleaseStockCommand = PayloadOf<'ReleaseStock'>;

/**
 * Gives an order's units back and answers StockReleased, whatever the reservation's state:
 * - RESERVED: the held units become available again.
 * - COMMITTED: the order is being cancelled after its stock left (a customer cancel, or the saga
 *   compensating a commit whose reply it never got), so the units come back on hand. Without
 *   that, a cancelled order would keep its units sold and the reconciliation would not add up.
 * - RELEASED: nothing changes; the first release's reason is repeated.
 * - FAILED: nothing was held; the refusal stays the order's outcome.
 * - never heard of: nothing was held. The order is marked released, so a ReserveStock arriving
 *   after its own compensation (a late saga re-send) cannot reserve units nobody would free.
 */
export async function releaseStock(
  tx: Tx,
  { orderId, reason }: ReleaseStockCommand,
  cause: Cause,
): Promise<Outgoing<'StockReleased'>> {
  let reservation = await lockReservation(tx, orderId);
  if (!reservation) {
    if (await insertReleasedMarker(tx, orderId, reason)) {
      return announce(tx, { type: 'StockReleased', payload: { orderId, reason } }, cause);
    }
    // A ReserveStock for the order committed while we looked: release what it took.
    reservation = (await lockReservation(tx, orderId))!;
  }
  switch (reservation.status) {
    case 'RESERVED':
      await endReservation(tx, reservation, 'giveBack', { status: 'RELEASED', reason }, cause);
      return announce(tx, { type: 'StockReleased', payload: { orderId, reason } }, cause);
    case 'COMMITTED':
      await endReservation(tx, reservation, 'return', { status: 'RELEASED', reason }, cause);
      return announce(tx, { type: 'StockReleased', payload: { orderId, reason } }, cause);
    case 'RELEASED':
      return announce(
        tx,
        { type: 'StockReleased', payload: { orderId, reason: reservation.releaseReason! } },
        cause,
      );
    case 'FAILED':
      return announce(tx, { type: 'StockReleased', payload: { orderId, reason } }, cause);
  }
}
