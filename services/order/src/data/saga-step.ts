import type { Tx } from '@shop/postgres';
import { orderColumns, toOrderRecord, type OrderRecord, type OrderRow } from './orders';
import {
  actionsColumn,
  claimDueSagaRow,
  lockSagaRow,
  withActionsFrom,
  type ActionJson,
  type SagaRecord,
  type SagaRow,
} from './sagas';

/** What one step of a saga works on. */
export interface SagaStep {
  saga: SagaRecord;
  order: OrderRecord;
}

/**
 * For a reply or a cancel: the saga locked, then its actions and its order in one statement, two
 * round trips where there were three (docs/performance.md).
 *
 * Not one: a statement that had to wait for the lock sees the locked row as the holder left it,
 * but reads every other table in the snapshot it took before waiting, so actions read beside the
 * lock could predate the holder's commit. The next statement takes a new snapshot.
 */
export async function lockSagaStep(tx: Tx, orderId: string): Promise<SagaStep | undefined> {
  const row = await lockSagaRow(tx, orderId);
  return row && readStep(tx, row);
}

/** For the timer: one due saga claimed (claimDueSagaRow), then its actions and its order. */
export async function claimDueSagaStep(tx: Tx, now: Date): Promise<SagaStep | undefined> {
  const row = await claimDueSagaRow(tx, now);
  return row && readStep(tx, row);
}

async function readStep(tx: Tx, row: SagaRow): Promise<SagaStep> {
  const { rows } = await tx.query<OrderRow & { actions: ActionJson[] }>(
    `SELECT ${orderColumns}, ${actionsColumn}
     FROM orders, (SELECT $1::uuid AS order_id) AS saga
     WHERE orders.id = saga.order_id`,
    [row.orderId],
  );
  const found = rows[0];
  // A saga references its order (and goes with it): a missing one is a broken database.
  if (!found) throw new Error(`saga ${row.orderId} has no order`);
  const { actions, ...order } = found;
  return { saga: withActionsFrom(row, actions), order: toOrderRecord(order) };
}
