import type { StockLevel } from '@shop/contracts';
import { withTransaction, type Pool } from '@shop/postgres';
import { AppError } from '@shop/service-kit';
import { adjustLevels, findStockItem } from '../data/stock-items';
import { emitLevelsChanged, type Cause } from '../messaging/emit';
import { levelsOf } from './levels';

export async function getStockLevel(pool: Pool, productId: string): Promise<StockLevel> {
  const item = await findStockItem(pool, productId);
  if (!item) throw new AppError('NOT_FOUND', `No stock for product ${productId}`);
  return levelsOf(item);
}

/** Adds units on hand (a delivery came in) and announces the new levels. */
export async function restock(
  pool: Pool,
  { productId, quantity }: { productId: string; quantity: number },
  cause: Cause,
): Promise<StockLevel> {
  try {
    return await withTransaction(pool, async (tx) => {
      const [item] = await adjustLevels(tx, [
        { productId, onHandDelta: quantity, reservedDelta: 0 },
      ]);
      if (!item) throw new AppError('NOT_FOUND', `No stock for product ${productId}`);
      await emitLevelsChanged(tx, [item], cause);
      return levelsOf(item);
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === numericValueOutOfRange) {
      throw new AppError('UNPROCESSABLE', 'On hand would exceed the largest storable count', {
        cause: error,
      });
    }
    throw error;
  }
}

// https://www.postgresql.org/docs/current/errcodes-appendix.html: on_hand is a 32-bit integer.
const numericValueOutOfRange = '22003';
