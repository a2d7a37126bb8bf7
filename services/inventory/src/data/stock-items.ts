import type { Tx } from '@shop/postgres';

export interface StockItem {
  productId: string;
  sku: string;
  onHand: number;
  reserved: number;
  sequence: number;
}

export interface LevelChange {
  productId: string;
  onHandDelta: number;
  reservedDelta: number;
}

const columns = `product_id AS "productId", sku, on_hand AS "onHand", reserved, sequence`;

/** Creates the row at sequence 1; undefined when the product already has one. */
export async function insertStockItem(
  tx: Tx,
  item: { productId: string; sku: string; onHand: number },
): Promise<StockItem | undefined> {
  const { rows } = await tx.query<StockItem>(
    `INSERT INTO stock_items (product_id, sku, on_hand) VALUES ($1, $2, $3)
     ON CONFLICT (product_id) DO NOTHING
     RETURNING ${columns}`,
    [item.productId, item.sku, item.onHand],
  );
  return rows[0];
}

export async function findStockItem(db: Tx, productId: string): Promise<StockItem | undefined> {
  const { rows } = await db.query<StockItem>(
    `SELECT ${columns} FROM stock_items WHERE product_id = $1`,
    [productId],
  );
  return rows[0];
}

export async function updateSku(tx: Tx, productId: string, sku: string): Promise<void> {
  await tx.query(
    'UPDATE stock_items SET sku = $2, updated_at = now() WHERE product_id = $1 AND sku <> $2',
    [productId, sku],
  );
}

/**
 * Locks the rows in product id order. Every writer that touches several products locks them
 * through here, in the same order, so two transactions can wait for each other but never in a
 * cycle (no deadlock). Unknown products are simply absent from the result.
 */
export async function lockStockItems(tx: Tx, productIds: string[]): Promise<StockItem[]> {
  const { rows } = await tx.query<StockItem>(
    `SELECT ${columns} FROM stock_items WHERE product_id = ANY($1::uuid[])
     ORDER BY product_id FOR UPDATE`,
    [productIds],
  );
  return rows;
}

/**
 * Applies the deltas and bumps each product's sequence in one statement; returns the new rows in
 * product id order. Rows a caller changes together must be locked first with lockStockItems: an
 * UPDATE … FROM locks in whatever order its plan visits them. The CHECK constraints of the table
 * reject any delta that would break 0 ≤ reserved ≤ on_hand.
 */
export async function adjustLevels(tx: Tx, changes: LevelChange[]): Promise<StockItem[]> {
  if (changes.length === 0) return [];
  const { rows } = await tx.query<StockItem>(
    `WITH updated AS (
       UPDATE stock_items AS s
       SET on_hand = s.on_hand + c.on_hand_delta,
           reserved = s.reserved + c.reserved_delta,
           sequence = s.sequence + 1,
           updated_at = now()
       FROM unnest($1::uuid[], $2::int[], $3::int[]) AS c (product_id, on_hand_delta, reserved_delta)
       WHERE s.product_id = c.product_id
       RETURNING s.product_id, s.sku, s.on_hand, s.reserved, s.sequence
     )
     SELECT ${columns} FROM updated ORDER BY product_id`,
    [
      changes.map((change) => change.productId),
      changes.map((change) => change.onHandDelta),
      changes.map((change) => change.reservedDelta),
    ],
  );
  return rows;
}
