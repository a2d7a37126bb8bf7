import type { Tx } from '@shop/postgres';
import { lockNextExpired, lockReservation, markReleased } from '../data/reservations';
import { announce } from '../messaging/emit';
import { applyToStock } from './held-stock';

/**
 * Releases one reservation past its TTL, announcing StockReleased {reason: EXPIRED} so the saga
 * can cancel the order. Undefined when none is due (or every due one is being handled by another
 * sweeper right now).
 */
export async function expireNextReservation(tx: Tx): Promise<string | undefined> {
  const orderId = await lockNextExpired(tx);
  if (orderId === undefined) return undefined;
  const reservation = (await lockReservation(tx, orderId))!;
  const cause = { correlationId: orderId };
  await applyToStock(tx, reservation.lines, 'giveBack', cause);
  await markReleased(tx, orderId, 'EXPIRED');
  await announce(tx, { type: 'StockReleased', payload: { orderId, reason: 'EXPIRED' } }, cause);
  return orderId;
}
