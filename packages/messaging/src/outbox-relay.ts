import { startWorkerLoop, withTransaction } from '@shop/postgres';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { MessageProducer } from './kafka';
import { defaultOutboxChannel } from './outbox';

export interface OutboxRelayOptions {
  pool: Pool;
  /** Connected by the caller, who also disconnects it after `stop()`. */
  producer: MessageProducer;
  logger: Logger;
  batchSize?: number;
  /** The fallback poll; LISTEN/NOTIFY normally wakes the relay well before it. */
  pollIntervalMs?: number;
  channel?: string;
  maxBackoffMs?: number;
  /** Publishes to `<prefix><topic>`: see `topicNamespace` (tests give each run its own topics). */
  topicPrefix?: string;
  /**
   * Fault injection for tests: runs after Kafka acknowledged a batch and before the rows are
   * marked published, the one window where a crash makes the relay publish twice.
   */
  afterPublish?: (count: number) => void | Promise<void>;
}

export interface OutboxRelay {
  /** Finishes the current round (publish and mark), then lets go of its connections. */
  stop(): Promise<void>;
}

/**
 * Only the relay holding this lock publishes; the others stand by. A lock rather than each relay
 * claiming rows with `FOR UPDATE SKIP LOCKED`, because skipping is exactly what breaks per-key
 * order across relays: while relay A holds rows 1..100 (say event 5 of order X), relay B skips
 * them, claims 101..200 (event 150 of order X) and may publish 150 before A publishes 5, or A may
 * fail and publish 5 after B's 150. One publisher at a time keeps Kafka in outbox order.
 * Advisory locks are per database, so each service's relays only contend among themselves.
 */
const relayLockKey = 8_112_904_561;

/** `standby`: another relay holds the lock. */
type BatchOutcome = 'drained' | 'more' | 'standby' | { publishFailed: Error };

interface OutboxRow {
  seq: string;
  topic: string;
  key: string | null;
  envelope: unknown;
  headers: Record<string, string>;
}

export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { pool, producer } = options;
  const logger = options.logger.child({ component: 'outbox-relay' });
  const batchSize = options.batchSize ?? 100;

  function publishNextBatch(): Promise<BatchOutcome> {
    return withTransaction(pool, async (tx) => {
      // The lock in a statement of its own, before the read: under READ COMMITTED a statement
      // reads as of its start, so a read in the lock's own statement could start before the last
      // holder committed, get the lock as it commits, and publish that holder's rows again
      // (tried; the two-relay test caught it, docs/performance.md).
      const { rows: lock } = await tx.query<{ held: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1) AS held',
        [relayLockKey],
      );
      if (!lock[0]?.held) return 'standby';
      const { rows } = await tx.query<OutboxRow>(
        `SELECT seq, topic, key, envelope, headers FROM outbox
         WHERE published_at IS NULL ORDER BY seq LIMIT $1`,
        [batchSize],
      );
      if (rows.length === 0) return 'drained';
      const seqs = rows.map((row) => row.seq);
      try {
        await producer.publish(
          rows.map((row) => ({
            topic: `${options.topicPrefix ?? ''}${row.topic}`,
            key: row.key,
            value: JSON.stringify(row.envelope),
            headers: row.headers,
          })),
        );
      } catch (error) {
        // Committed, not thrown: the failure is recorded and the rows stay unpublished.
        await tx.query(
          'UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])',
          [seqs, errorMessage(error)],
        );
        const publishFailed = new Error(`publishing ${rows.length} outbox rows failed`, {
          cause: error,
        });
        return { publishFailed };
      }
      await options.afterPublish?.(rows.length);
      await tx.query(
        'UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])',
        [seqs],
      );
      return rows.length === batchSize ? 'more' : 'drained';
    });
  }

  const loop = startWorkerLoop({
    name: 'outbox relay',
    logger,
    idleMs: options.pollIntervalMs ?? 1_000,
    wakeOn: { pool, channel: options.channel ?? defaultOutboxChannel },
    backoff: { baseMs: 200, maxMs: options.maxBackoffMs ?? 30_000 },
    async round() {
      const outcome = await publishNextBatch();
      // Thrown only now that the record of the failure is committed; the loop backs off.
      if (typeof outcome === 'object') throw outcome.publishFailed;
      return outcome === 'more' ? 'more' : 'idle';
    },
  });
  return { stop: () => loop.stop() };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
