import type { Tx } from '@shop/postgres';
import { lockNextExpired } from '../data/reservations';
import { announce } from '../messaging/emit';
import { endReservation } from './held-stock';

/**
 * Releases one reservation past its TTL, announcing StockReleased {reason: EXPIRED} so the saga
 * can cancel the order. Undefined when none is due (or every due one is being handled by another
 * sweeper right now).
 */
export async function expireNextReservation(tx: Tx): Promise<string | undefined> {
  const reservation = await lockNextExpired(tx);
  if (reservation === undefined) return undefined;
  const { orderId } = reservation;
  const cause = { correlationId: orderId };
  await endReservation(
    tx,
    reservation,
    'giveBack',
    { status: 'RELEASED', reason: 'EXPIRED' },
    cause,
  );
  await announce(tx, { type: 'StockReleased', payload: { orderId, reason: 'EXPIRED' } }, cause);
  return orderId;
}
