import type { Tx } from '@shop/postgres';
import { lockNextExpired, type Reservation } from '../data/reservations';
import { announce, type Cause } from '../messaging/emit';
import { endReservation } from './held-stock';

/**
 * Gives a lapsed (locked) reservation's units back and announces StockReleased {reason: EXPIRED}:
 * the sweeper's work, and a CommitStock's that arrives after the reservation lapsed.
 */
export async function releaseExpired(tx: Tx, reservation: Reservation, cause: Cause) {
  const { orderId } = reservation;
  await endReservation(
    tx,
    reservation,
    'giveBack',
    { status: 'RELEASED', reason: 'EXPIRED' },
    cause,
  );
  return announce(tx, { type: 'StockReleased', payload: { orderId, reason: 'EXPIRED' } }, cause);
}

/**
 * Releases one reservation past its TTL, announcing StockReleased {reason: EXPIRED} so the saga
 * can cancel the order. Undefined when none is due (or every due one is being handled by another
 * sweeper right now).
 */
export async function expireNextReservation(tx: Tx): Promise<string | undefined> {
  const reservation = await lockNextExpired(tx);
  if (reservation === undefined) return undefined;
  await releaseExpired(tx, reservation, { correlationId: reservation.orderId });
  return reservation.orderId;
}
