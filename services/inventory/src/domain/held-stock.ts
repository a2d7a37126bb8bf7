import type { Tx } from '@shop/postgres';
import { recordEnding, type Reservation, type ReservationEnding } from '../data/reservations';
import { emitLevelsChanged, type Cause } from '../messaging/emit';

/**
 * What a reservation's lines do to the levels when it ends:
 * - give back: the held units become available again (reserved goes down);
 * - ship: the held units leave the warehouse (on hand and reserved both go down);
 * - return: units already shipped come back on hand (a cancelled order after its commit).
 */
const effects = {
  giveBack: (quantity: number) => ({ onHandDelta: 0, reservedDelta: -quantity }),
  ship: (quantity: number) => ({ onHandDelta: -quantity, reservedDelta: -quantity }),
  return: (quantity: number) => ({ onHandDelta: quantity, reservedDelta: 0 }),
};

export type HeldStockEffect = keyof typeof effects;

/**
 * Ends the (locked) reservation as `ending` says, applies the effect of its lines to the levels
 * (their rows locked in product id order), and announces the new levels.
 */
export async function endReservation(
  tx: Tx,
  reservation: Reservation,
  effect: HeldStockEffect,
  ending: ReservationEnding,
  cause: Cause,
): Promise<void> {
  const changes = reservation.lines.map((line) => ({
    productId: line.productId,
    ...effects[effect](line.quantity),
  }));
  const changed = await recordEnding(tx, reservation.orderId, ending, changes);
  await emitLevelsChanged(tx, changed, cause);
}
