import type { Tx } from '@shop/postgres';

/**
 * The first key of the two-key advisory locks taken here. The two-key form is a key space of its
 * own, apart from the one-bigint locks of the outbox relay and the migrations ("these two key
 * spaces do not overlap", https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS).
 */
const placementLockSpace = 1_870_224_311;

/**
 * Makes the customer's placements take turns until this transaction ends, so that two of them
 * never both count the same open units and both pass. Two customers whose ids hash alike only
 * wait for each other. Its own statement, before the read: under READ COMMITTED a statement reads
 * as of its start, so a read in the lock's statement could miss the previous holder's order.
 */
export async function lockCustomerPlacements(tx: Tx, customerId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
    placementLockSpace,
    customerId,
  ]);
}

/**
 * Units of each product in the customer's open orders (PENDING or STOCK_RESERVED), for the given
 * products; a product in none of them is absent. The status list is written out so that the
 * planner can use the partial index `orders_open_by_customer_idx`.
 */
export async function openUnitsByProduct(
  tx: Tx,
  customerId: string,
  productIds: string[],
): Promise<Map<string, number>> {
  const { rows } = await tx.query<{ productId: string; units: number }>(
    `SELECT i.product_id AS "productId", sum(i.quantity)::int AS units
     FROM orders o JOIN order_items i ON i.order_id = o.id
     WHERE o.customer_id = $1 AND o.status IN ('PENDING', 'STOCK_RESERVED')
       AND i.product_id = ANY($2::uuid[])
     GROUP BY i.product_id`,
    [customerId, productIds],
  );
  return new Map(rows.map((row) => [row.productId, row.units]));
}
