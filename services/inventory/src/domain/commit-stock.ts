import type { PayloadOf } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import { lockReservation } from '../data/reservations';
import { announce, type Cause, type Outgoing } from '../messaging/emit';
import { releaseExpired } from './expire-reservation';
import { endReservation } from './held-stock';

export type CommitStockCommand = PayloadOf<'CommitStock'>;

export type CommitOutcome =
  Outgoing<'StockCommitted' | 'StockReleased' | 'StockReservationFailed'> | { type: 'Ignored' };

/**
 * The reserved units leave the warehouse. Idempotent per order: a commit of a committed order
 * answers StockCommitted again and changes nothing.
 *
 * A reservation past its TTL is never committed, even when the sweeper has not come round to it
 * yet: the TTL is the promise, the sweeper only its janitor. Such a commit releases the units now
 * (as the sweeper would have) and answers StockReleased {reason: EXPIRED}; so does a commit of a
 * reservation released earlier (with that release's reason). Either way the saga learns that
 * nothing was committed and compensates (refunds the payment, cancels the order).
 *
 * An order that was refused answers its StockReservationFailed again; an order inventory has
 * never heard of gets no answer (the saga never commits before StockReserved; its deadline
 * covers that case) and is only logged.
 */
export async function commitStock(
  tx: Tx,
  { orderId }: CommitStockCommand,
  cause: Cause,
): Promise<CommitOutcome> {
  const reservation = await lockReservation(tx, orderId);
  if (!reservation) return { type: 'Ignored' };
  switch (reservation.status) {
    case 'RESERVED':
      if (reservation.expired) return releaseExpired(tx, reservation, cause);
      await endReservation(tx, reservation, 'ship', { status: 'COMMITTED' }, cause);
      return announce(tx, { type: 'StockCommitted', payload: { orderId } }, cause);
    case 'COMMITTED':
      return announce(tx, { type: 'StockCommitted', payload: { orderId } }, cause);
    case 'RELEASED':
      return announce(
        tx,
        { type: 'StockReleased', payload: { orderId, reason: reservation.releaseReason! } },
        cause,
      );
    case 'FAILED':
      return announce(
        tx,
        { type: 'StockReservationFailed', payload: { orderId, ...reservation.failure! } },
        cause,
      );
  }
}
