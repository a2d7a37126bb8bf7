import type { OrderFailureReason, OrderStatus, SagaReply, SagaStepStatus } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import type { ActionName, SagaState } from '../domain/saga-machine';

/** One command the saga sent (a step or a compensation) and what became of it. */
export interface SagaAction {
  name: ActionName;
  command: string;
  status: SagaStepStatus;
  attempts: number;
  lastSentAt: Date | null;
  lastMessageId: string | null;
  deadline: Date | null;
  /** The command's payload, re-sent unchanged under a new message id. */
  payload: Record<string, unknown>;
  reply: SagaReply | null;
}

export interface SagaRecord {
  orderId: string;
  state: SagaState;
  failureReason: OrderFailureReason | null;
  startedAt: Date;
  updatedAt: Date;
  /** The forward steps' deadline; null once the saga completed or is compensating. */
  deadline: Date | null;
  actions: Map<ActionName, SagaAction>;
}

const sagaColumns = `order_id AS "orderId", state, failure_reason AS "failureReason",
  started_at AS "startedAt", updated_at AS "updatedAt", deadline`;

export type SagaRow = Omit<SagaRecord, 'actions'>;

/**
 * The saga's own row, locked for this transaction: replies, the timer and a cancel take turns on
 * it. Its actions are for a later statement to read (saga-step.ts says why).
 */
export async function lockSagaRow(tx: Tx, orderId: string): Promise<SagaRow | undefined> {
  const { rows } = await tx.query<SagaRow>(
    `SELECT ${sagaColumns} FROM sagas WHERE order_id = $1 FOR UPDATE`,
    [orderId],
  );
  return rows[0];
}

/** The saga and its actions, read in one statement (no lock). */
export async function findSaga(tx: Tx, orderId: string): Promise<SagaRecord | undefined> {
  const { rows } = await tx.query<SagaRow & { actions: ActionJson[] }>(
    `SELECT ${sagaColumns}, ${actionsColumn} FROM sagas AS saga WHERE order_id = $1`,
    [orderId],
  );
  const found = rows[0];
  if (!found) return undefined;
  const { actions, ...row } = found;
  return withActionsFrom(row, actions);
}

/**
 * Claims one saga whose timer has run out, its own row only (saga-step.ts reads the rest). SKIP
 * LOCKED lets several order instances tick at once: each takes a different saga, and one being
 * handled by a reply is left for the next round.
 */
export async function claimDueSagaRow(tx: Tx, now: Date): Promise<SagaRow | undefined> {
  const { rows } = await tx.query<SagaRow>(
    `SELECT ${sagaColumns} FROM sagas
     WHERE next_due_at IS NOT NULL AND next_due_at <= $1
     ORDER BY next_due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [now],
  );
  return rows[0];
}

/**
 * A saga's actions as one JSON array: a column of any statement that reads a saga's row, or
 * its order's (`saga.order_id` names the saga).
 */
export const actionsColumn = `(SELECT coalesce(jsonb_agg(jsonb_build_object('name', name,
    'command', command, 'status', status, 'attempts', attempts, 'lastSentAt', last_sent_at,
    'lastMessageId', last_message_id, 'deadline', deadline, 'payload', payload,
    'reply', reply)), '[]')
  FROM saga_actions WHERE saga_actions.order_id = saga.order_id) AS actions`;

/** An action as `actionsColumn` has it: inside JSON, its times are ISO strings. */
export type ActionJson = Omit<SagaAction, 'lastSentAt' | 'deadline'> & {
  lastSentAt: string | null;
  deadline: string | null;
};

export function withActionsFrom(row: SagaRow, actions: ActionJson[]): SagaRecord {
  const dateOf = (at: string | null) => (at === null ? null : new Date(at));
  return {
    ...row,
    actions: new Map(
      actions.map((action) => [
        action.name,
        { ...action, lastSentAt: dateOf(action.lastSentAt), deadline: dateOf(action.deadline) },
      ]),
    ),
  };
}

/**
 * Inserts or updates every action of the saga from the JSON array parameter `actions`, in one
 * statement whatever their number (a round trip per action was most of a saga step's SQL). An
 * action that did not change is left as it is: a step changes one or two actions, and rewriting
 * the others cost a new row version, its WAL and a trigger call each (docs/performance.md).
 */
function upsertActions(actions: string): string {
  return `INSERT INTO saga_actions (order_id, name, command, status, attempts, last_sent_at,
      last_message_id, deadline, payload, reply)
    SELECT $1::uuid, name, command, status, attempts, "lastSentAt", "lastMessageId", deadline,
      payload, reply
    FROM jsonb_to_recordset(${actions}::jsonb) AS action(name text, command text, status text,
      attempts integer, "lastSentAt" timestamptz, "lastMessageId" uuid, deadline timestamptz,
      payload jsonb, reply jsonb)
    ON CONFLICT (order_id, name) DO UPDATE SET status = EXCLUDED.status,
      attempts = EXCLUDED.attempts, last_sent_at = EXCLUDED.last_sent_at,
      last_message_id = EXCLUDED.last_message_id, deadline = EXCLUDED.deadline,
      payload = EXCLUDED.payload, reply = EXCLUDED.reply
    WHERE (saga_actions.status, saga_actions.attempts, saga_actions.last_sent_at,
        saga_actions.last_message_id, saga_actions.deadline, saga_actions.payload,
        saga_actions.reply)
      IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.attempts, EXCLUDED.last_sent_at,
        EXCLUDED.last_message_id, EXCLUDED.deadline, EXCLUDED.payload, EXCLUDED.reply)`;
}

/** The saga's row and its actions in one statement (a WITH that writes runs all the same). */
export async function insertSaga(tx: Tx, saga: SagaRecord, nextDueAt: Date | null): Promise<void> {
  await tx.query(
    `WITH saga AS (
       INSERT INTO sagas (order_id, state, failure_reason, started_at, updated_at, deadline,
         next_due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
     )
     ${upsertActions('$8')}`,
    [
      saga.orderId,
      saga.state,
      saga.failureReason,
      saga.startedAt,
      saga.updatedAt,
      saga.deadline,
      nextDueAt,
      JSON.stringify([...saga.actions.values()]),
    ],
  );
}

/** The saga's row and its actions in one statement, as insertSaga. */
export async function saveSaga(tx: Tx, saga: SagaRecord, nextDueAt: Date | null): Promise<void> {
  await tx.query(
    `WITH saga AS (
       UPDATE sagas SET state = $2, failure_reason = $3, updated_at = $4, deadline = $5,
         next_due_at = $6
       WHERE order_id = $1
     )
     ${upsertActions('$7')}`,
    [
      saga.orderId,
      saga.state,
      saga.failureReason,
      saga.updatedAt,
      saga.deadline,
      nextDueAt,
      JSON.stringify([...saga.actions.values()]),
    ],
  );
}

export interface EndedSagaRow {
  orderId: string;
  orderStatus: OrderStatus;
  failureReason: OrderFailureReason | null;
  startedAt: Date;
  endedAt: Date;
}

/**
 * Sagas that ended since `since`, longest first. Through the index of ended orders by their
 * last change (an ended saga's order changed last when it ended).
 */
export async function slowestEndedSagas(
  tx: Tx,
  since: Date,
  limit: number,
): Promise<EndedSagaRow[]> {
  const { rows } = await tx.query<EndedSagaRow>(
    `SELECT s.order_id AS "orderId", o.status AS "orderStatus", o.failure_reason AS "failureReason",
            s.started_at AS "startedAt", s.updated_at AS "endedAt"
     FROM orders o JOIN sagas s ON s.order_id = o.id
     WHERE o.status IN ('CONFIRMED', 'CANCELLED') AND o.updated_at >= $1
       AND s.state IN ('CONFIRMED', 'CANCELLED')
     ORDER BY s.updated_at - s.started_at DESC
     LIMIT $2`,
    [since, limit],
  );
  return rows;
}
