import type { Tx } from '@shop/postgres';

/**
 * The channel an order's saga announces its end on, at commit (migration 1790000000000): the load
 * has changed, and a new checkout may fit.
 */
export const sagaEndedChannel = 'order_saga_ended';

/** What the checkout pipeline holds and how fast it empties, across every order instance. */
export interface SagaLoad {
  /** Orders whose saga has not ended (PENDING or STOCK_RESERVED). */
  inFlight: number;
  /** Orders that ended (CONFIRMED or CANCELLED) within the window. */
  endedInWindow: number;
}

/**
 * One statement, two index scans: the open orders (`orders_open_by_customer_idx`) and the ones
 * that ended since `since` (`orders_ended_at_idx`). The status lists are written out so that the
 * planner can match the partial indexes.
 */
export async function readSagaLoad(tx: Tx, since: Date): Promise<SagaLoad> {
  const { rows } = await tx.query<{ inFlight: number; endedInWindow: number }>(
    `SELECT
       (SELECT count(*) FROM orders WHERE status IN ('PENDING', 'STOCK_RESERVED'))::int
         AS "inFlight",
       (SELECT count(*) FROM orders
         WHERE status IN ('CONFIRMED', 'CANCELLED') AND updated_at >= $1)::int
         AS "endedInWindow"`,
    [since],
  );
  return rows[0]!;
}
