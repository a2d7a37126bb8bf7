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
 */
export async function enqueue(
  tx: Tx,
  message: OutboxMessage,
  channel: string = defaultOutboxChannel,
): Promise<void> {
  await enqueueAll(tx, [message], channel);
}

/**
 * Records several events in the caller's transaction, in this order, and wakes the relay: one
 * statement for all of them and the NOTIFY, since every round trip counts in a checkout
 * (docs/performance.md). The rows take their sequence numbers, the relay's publishing order, in
 * the order given.
 */
export async function enqueueAll(
  tx: Tx,
  messages: readonly OutboxMessage[],
  channel: string = defaultOutboxChannel,
): Promise<void> {
  if (messages.length === 0) return;
  await tx.query(
    `WITH queued AS (
       INSERT INTO outbox (id, topic, key, envelope, headers)
       SELECT id, topic, key, envelope, headers
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[])
         WITH ORDINALITY AS message(id, topic, key, envelope, headers, position)
       ORDER BY position
       RETURNING id
     )
     SELECT pg_notify($6, '') FROM queued LIMIT 1`,
    [
      messages.map(({ envelope }) => envelope.id),
      messages.map(({ topic }) => topic),
      messages.map(({ key }) => key),
      messages.map(({ envelope }) => JSON.stringify(envelope)),
      messages.map(({ headers }) => JSON.stringify(headers ?? {})),
      channel,
    ],
  );
}
