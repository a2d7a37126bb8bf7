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

/** What a handler writes through when its whole effect is one SQL statement (statementInbox). */
export interface InboxedStatement {
  /**
   * Runs `effect`, one data-modifying statement (INSERT, UPDATE or DELETE … RETURNING), in the
   * same statement as the message's inbox row. The effect makes every write conditional on the
   * message being new with `EXISTS (SELECT 1 FROM inbox_entry)`; its parameters are `values`
   * ($1, $2, …). Resolves to the number of rows it returned. Once per message.
   */
  query(effect: string, values: readonly unknown[]): Promise<number>;
}

/**
 * The inbox for handlers whose whole effect is one statement: the inbox row is written by that
 * statement itself (a common table expression), so the row and the effect still commit together,
 * or neither does, but as one autocommitted statement instead of BEGIN, the inbox insert, the
 * effect and COMMIT. One round trip instead of four for each message of a busy read model
 * (docs/performance.md).
 */
export function statementInbox(pool: Pool): Inbox<InboxedStatement> {
  return {
    async applyOnce(entry, effect) {
      let isNew: boolean | undefined;
      await effect({
        async query(statement, values) {
          if (isNew !== undefined) throw new Error('statementInbox: one statement per message');
          const at = values.length;
          const { rows } = await pool.query<{ isNew: boolean; returned: number }>(
            `WITH inbox_entry AS (
               INSERT INTO inbox (consumer, message_id, topic)
               VALUES ($${at + 1}, $${at + 2}, $${at + 3})
               ON CONFLICT DO NOTHING
               RETURNING 1
             ),
             effect AS (${statement})
             SELECT EXISTS (SELECT 1 FROM inbox_entry) AS "isNew",
                    (SELECT count(*) FROM effect)::integer AS returned`,
            [...values, entry.consumer, entry.messageId, entry.topic],
          );
          isNew = rows[0]!.isNew;
          return rows[0]!.returned;
        },
      });
      // A handler that wrote nothing (a message it ignores) leaves no inbox row: nothing to repeat.
      return isNew ?? true;
    },
  };
}
