import type { InboxedStatement } from '@shop/messaging';
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

export type StockLevelOutcome = 'applied' | 'not applied';

/**
 * Applies a level only when its sequence is newer than the stored one, so a stale or duplicate
 * level changes nothing whatever order they arrive in. The row lock taken by the UPDATE serialises
 * two levels of one product arriving at once. One statement with the message's inbox row
 * (`statementInbox`): a level that is not applied was stale, already seen, or for a product this
 * catalog does not know.
 */
export async function applyStockLevel(
  statement: InboxedStatement,
  level: StockLevel,
): Promise<StockLevelOutcome> {
  const updated = await statement.query(
    `UPDATE product_stock
        SET available = $2, sequence = $3, as_of = $4
      WHERE product_id = $1 AND sequence < $3 AND EXISTS (SELECT 1 FROM inbox_entry)
      RETURNING 1`,
    [level.productId, level.available, level.sequence, level.asOf],
  );
  return updated > 0 ? 'applied' : 'not applied';
}
