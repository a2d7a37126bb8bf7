import { randomUUID } from 'node:crypto';
import type { Notification, NotificationKind } from '@shop/contracts';
import { withSnapshot, type Pool, type Tx } from '@shop/postgres';
import type { NotificationDetails, RenderedMessage } from '../domain/render';

/** Wakes the sender; Postgres delivers it on commit only, so a rolled-back insert wakes no one. */
export const pendingChannel = 'notification_pending';

export interface NewNotification {
  eventId: string;
  userId: string;
  orderId?: string;
  details: NotificationDetails;
}

/**
 * False when this event already has its notification of this kind. A new one also wakes the
 * sender: `pg_notify` rides on the insert, so it takes no statement of its own.
 */
export async function insertPendingNotification(tx: Tx, input: NewNotification): Promise<boolean> {
  const { rowCount } = await tx.query(
    `WITH inserted AS (
       INSERT INTO notifications (id, event_id, kind, user_id, order_id, details)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT notifications_event_kind_key DO NOTHING
       RETURNING id
     )
     SELECT pg_notify($7, '') FROM inserted`,
    [
      randomUUID(),
      input.eventId,
      input.details.kind,
      input.userId,
      input.orderId ?? null,
      JSON.stringify(input.details),
      pendingChannel,
    ],
  );
  return rowCount === 1;
}

export async function signalPending(tx: Tx): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [pendingChannel, '']);
}

export interface ClaimedNotification {
  id: string;
  details: NotificationDetails;
  attempts: number;
  email: string;
  name: string;
}

/**
 * Takes up to `limit` due notifications whose recipient is known and leases them: their next
 * attempt moves `leaseMs` ahead, so another sender (a replica) skips them meanwhile, and a sender
 * that dies mid-send leaves them to be retried when the lease runs out.
 */
export async function claimDueNotifications(
  pool: Pool,
  { limit, leaseMs }: { limit: number; leaseMs: number },
): Promise<ClaimedNotification[]> {
  const { rows } = await pool.query<ClaimedNotification>(
    `WITH due AS (
       SELECT n.id FROM notifications n JOIN users u ON u.user_id = n.user_id
       WHERE n.status = 'PENDING' AND n.next_attempt_at <= now()
       ORDER BY n.next_attempt_at
       LIMIT $1
       FOR UPDATE OF n SKIP LOCKED
     )
     UPDATE notifications n
     SET attempts = n.attempts + 1, next_attempt_at = now() + make_interval(secs => $2::float8 / 1000)
     FROM due, users u
     WHERE n.id = due.id AND u.user_id = n.user_id
     RETURNING n.id, n.details, n.attempts, u.email, u.name`,
    [limit, leaseMs],
  );
  return rows;
}

/** Gives back claimed notifications not attempted (on shutdown), so they are due again at once. */
export async function releaseClaims(pool: Pool, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await pool.query(
    `UPDATE notifications SET attempts = attempts - 1, next_attempt_at = now()
     WHERE id = ANY($1::uuid[]) AND status = 'PENDING'`,
    [ids],
  );
}

/** Milliseconds until the next deliverable notification is due; undefined when there is none. */
export async function msUntilNextDue(db: Pick<Pool, 'query'>): Promise<number | undefined> {
  // No GREATEST(0, …) in SQL: it ignores NULL, so "none pending" would read as "due now" and the
  // sender would poll without pause.
  const { rows } = await db.query<{ wait_ms: number | null }>(
    `SELECT (EXTRACT(EPOCH FROM (min(n.next_attempt_at) - now())) * 1000)::float8 AS wait_ms
     FROM notifications n JOIN users u ON u.user_id = n.user_id
     WHERE n.status = 'PENDING'`,
  );
  const wait = rows[0]?.wait_ms;
  return wait === null || wait === undefined ? undefined : Math.max(0, wait);
}

export async function markSent(pool: Pool, id: string, message: RenderedMessage): Promise<void> {
  await pool.query(
    `UPDATE notifications
     SET status = 'SENT', subject = $2, body = $3, sent_at = now(), last_error = NULL
     WHERE id = $1 AND status = 'PENDING'`,
    [id, message.subject, message.body],
  );
}

export async function scheduleRetry(
  pool: Pool,
  id: string,
  message: RenderedMessage,
  { delayMs, error }: { delayMs: number; error: string },
): Promise<void> {
  await pool.query(
    `UPDATE notifications
     SET subject = $2, body = $3, last_error = $4,
         next_attempt_at = now() + make_interval(secs => $5::float8 / 1000)
     WHERE id = $1 AND status = 'PENDING'`,
    [id, message.subject, message.body, error, delayMs],
  );
}

export async function markFailed(
  pool: Pool,
  id: string,
  message: RenderedMessage,
  error: string,
): Promise<void> {
  await pool.query(
    `UPDATE notifications SET status = 'FAILED', subject = $2, body = $3, last_error = $4
     WHERE id = $1 AND status = 'PENDING'`,
    [id, message.subject, message.body, error],
  );
}

interface NotificationRow {
  id: string;
  kind: NotificationKind;
  order_id: string | null;
  subject: string;
  body: string;
  status: 'SENT' | 'FAILED';
  created_at: Date;
}

/**
 * PENDING ones are left out: the contract knows only SENT and FAILED, and they are not sent yet.
 * The page and its total are read from one snapshot, so a notification marked SENT meanwhile
 * shows in both or in neither.
 */
export function listForUser(
  pool: Pool,
  userId: string,
  { offset, limit }: { offset: number; limit: number },
): Promise<{ items: Notification[]; total: number }> {
  return withSnapshot(pool, async (tx) => {
    const page = await tx.query<NotificationRow>(
      `SELECT id, kind, order_id, subject, body, status, created_at FROM notifications
       WHERE user_id = $1 AND status IN ('SENT', 'FAILED')
       ORDER BY created_at DESC, id DESC
       OFFSET $2 LIMIT $3`,
      [userId, offset, limit],
    );
    const count = await tx.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM notifications
       WHERE user_id = $1 AND status IN ('SENT', 'FAILED')`,
      [userId],
    );
    return { items: page.rows.map(toNotification), total: count.rows[0]?.total ?? 0 };
  });
}

function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind,
    ...(row.order_id === null ? {} : { orderId: row.order_id }),
    subject: row.subject,
    body: row.body,
    channel: 'email',
    status: row.status,
    createdAt: row.created_at.toISOString(),
  };
}
