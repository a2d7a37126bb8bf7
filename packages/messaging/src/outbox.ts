import type { Tx } from '@shop/postgres';
import type { Envelope } from '@shop/contracts';

/** The LISTEN/NOTIFY channel that wakes the relay; one per database, so one name serves all. */
export const defaultOutboxChannel = 'shop_outbox';

export interface OutboxMessage {
  topic: string;
  /** The partition key: the aggregate id, so one aggregate's events stay in order. */
  key: string | null;
  envelope: Envelope;
  /** Kafka headers, e.g. `traceparent`. */
  headers?: Record<string, string>;
}

/**
 * Records an event in the caller's transaction: it is published if and only if that transaction
 * commits. Postgres delivers a NOTIFY only on commit (and drops it on rollback), so the relay
 * wakes for committed rows alone (https://www.postgresql.org/docs/current/sql-notify.html).
 * One statement for both: every round trip counts in a checkout (docs/performance.md).
 */
export async function enqueue(
  tx: Tx,
  message: OutboxMessage,
  channel: string = defaultOutboxChannel,
): Promise<void> {
  await tx.query(
    `WITH queued AS (
       INSERT INTO outbox (id, topic, key, envelope, headers) VALUES ($1, $2, $3, $4, $5)
       RETURNING id
     )
     SELECT pg_notify($6, '') FROM queued`,
    [
      message.envelope.id,
      message.topic,
      message.key,
      JSON.stringify(message.envelope),
      JSON.stringify(message.headers ?? {}),
      channel,
    ],
  );
}
