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
 * Locks the rows in product id order, for a caller that decides on their levels before changing
 * them. Every writer that touches several products locks them in that order (here or in
 * levelChangeCtes), so two transactions can wait for each other but never in a cycle (no deadlock).
 * Unknown products are simply absent from the result.
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
 * The CTEs of every statement that changes levels, so that a reservation's own write can share its
 * round trip. Parameters: $1 product ids, $2 on-hand deltas, $3 reserved deltas
 * (levelChangeParams); a statement that adds its own numbers them from $4. `locked` takes the row
 * locks in product id order (see lockStockItems); `changed` reaches a row only through `locked`,
 * so it never locks out of that order, whatever its plan (an UPDATE … FROM alone locks in the
 * order its plan visits the rows). `changed` applies the deltas and bumps each sequence; the
 * table's CHECK constraints reject any delta that would break 0 ≤ reserved ≤ on_hand.
 */
export const levelChangeCtes = `locked AS MATERIALIZED (
    SELECT product_id FROM stock_items WHERE product_id = ANY($1::uuid[])
    ORDER BY product_id FOR UPDATE
  ),
  changed AS (
    UPDATE stock_items AS s
    SET on_hand = s.on_hand + c.on_hand_delta,
        reserved = s.reserved + c.reserved_delta,
        sequence = s.sequence + 1,
        updated_at = now()
    FROM unnest($1::uuid[], $2::int[], $3::int[]) AS c (product_id, on_hand_delta, reserved_delta)
    JOIN locked ON locked.product_id = c.product_id
    WHERE s.product_id = c.product_id
    RETURNING s.product_id, s.sku, s.on_hand, s.reserved, s.sequence
  )`;

/** What a statement built on levelChangeCtes returns: the new rows, in product id order. */
export const selectChangedItems = `SELECT ${columns} FROM changed ORDER BY product_id`;

export function levelChangeParams(changes: LevelChange[]): [string[], number[], number[]] {
  return [
    changes.map((change) => change.productId),
    changes.map((change) => change.onHandDelta),
    changes.map((change) => change.reservedDelta),
  ];
}

/** Applies the deltas (see levelChangeCtes); returns the new rows in product id order. */
export async function adjustLevels(tx: Tx, changes: LevelChange[]): Promise<StockItem[]> {
  if (changes.length === 0) return [];
  const { rows } = await tx.query<StockItem>(
    `WITH ${levelChangeCtes} ${selectChangedItems}`,
    levelChangeParams(changes),
  );
  return rows;
}
