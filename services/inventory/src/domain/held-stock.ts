import type { StockLine } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import { adjustLevels, lockStockItems } from '../data/stock-items';
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

/** Locks the lines' rows in product id order, applies the effect, and announces the new levels. */
export async function applyToStock(
  tx: Tx,
  lines: StockLine[],
  effect: HeldStockEffect,
  cause: Cause,
): Promise<void> {
  if (lines.length === 0) return;
  await lockStockItems(
    tx,
    lines.map((line) => line.productId),
  );
  const changed = await adjustLevels(
    tx,
    lines.map((line) => ({ productId: line.productId, ...effects[effect](line.quantity) })),
  );
  await emitLevelsChanged(tx, changed, cause);
}
