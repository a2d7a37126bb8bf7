import type { Tx } from '@shop/postgres';

export interface StockLevel {
  productId: string;
  available: number;
  sequence: number;
  asOf: Date;
}

/**
 * The stock a product is created with, until inventory reports a level of its own: inventory
 * builds its row from the same `initialStock`, so this is inventory's first state, known a little
 * earlier. Sequence -1 lets any level from inventory replace it.
 */
export async function insertInitialStock(
  tx: Tx,
  productId: string,
  available: number,
  asOf: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO product_stock (product_id, available, sequence, as_of) VALUES ($1, $2, -1, $3)`,
    [productId, available, asOf],
  );
}

export type StockLevelOutcome = 'applied' | 'stale' | 'unknown-product';

/**
 * Applies a level only when its sequence is newer than the stored one, so a stale or duplicate
 * level changes nothing whatever order they arrive in. The row lock taken by the UPDATE serialises
 * two levels of one product arriving at once.
 */
export async function applyStockLevel(tx: Tx, level: StockLevel): Promise<StockLevelOutcome> {
  const { rows } = await tx.query<{ applied: boolean }>(
    `WITH updated AS (
       UPDATE product_stock
          SET available = $2, sequence = $3, as_of = $4
        WHERE product_id = $1 AND sequence < $3
        RETURNING 1
     )
     SELECT EXISTS (SELECT 1 FROM updated) AS applied
       FROM product_stock WHERE product_id = $1`,
    [level.productId, level.available, level.sequence, level.asOf],
  );
  const [row] = rows;
  if (row === undefined) return 'unknown-product';
  return row.applied ? 'applied' : 'stale';
}
