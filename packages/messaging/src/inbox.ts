import { withTransaction, type Tx } from '@shop/postgres';
import type { Pool } from 'pg';

export interface InboxEntry {
  consumer: string;
  messageId: string;
  topic: string;
}

/**
 * Where a consumer records the messages it has applied, atomically with their effect: both
 * happen or neither does, so a redelivered message is recognised and has no second effect.
 * `TUnit` is what a handler writes its effect through (a Postgres transaction here; a store
 * without transactions brings its own unit, e.g. a Redis MULTI built up by the handler).
 */
export interface Inbox<TUnit> {
  /** Runs the effect and records the entry as one atomic step; false when it was applied before. */
  applyOnce(entry: InboxEntry, effect: (unit: TUnit) => Promise<void>): Promise<boolean>;
}

/** The inbox table of `messagingMigrationsDir`, written in the handler's own transaction. */
export function postgresInbox(pool: Pool): Inbox<Tx> {
  return {
    applyOnce: (entry, effect) =>
      withTransaction(pool, async (tx) => {
        const { rowCount } = await tx.query(
          `INSERT INTO inbox (consumer, message_id, topic) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING`,
          [entry.consumer, entry.messageId, entry.topic],
        );
        if (rowCount === 0) return false;
        await effect(tx);
        return true;
      }),
  };
}
