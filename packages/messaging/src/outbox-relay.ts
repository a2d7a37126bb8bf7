import { startWorkerLoop } from '@shop/postgres';
import type { Pool, PoolClient } from 'pg';
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
  const lock = publisherLock(pool);

  /**
   * Rows this relay published and has not yet marked: the next round's read marks them, in the
   * same statement (and leaves them out), so a round is one statement and a publish instead of
   * two. A relay that dies first leaves them unmarked and the next holder publishes them again,
   * the window the consumers' inbox already covers, now until the next round (at most
   * `pollIntervalMs`) instead of one round trip.
   */
  let unmarked: string[] = [];

  async function publishNextBatch(): Promise<BatchOutcome> {
    const session = await lock.claim();
    if (!session) return 'standby';
    return lock.using(async () => {
      // Each statement commits on its own: the lock is the session's, not a transaction's.
      const rows = await markAndRead(session, batchSize);
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
        // Recorded, not thrown: the failure is kept on the rows and they stay unpublished.
        await session.query(
          'UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])',
          [seqs, errorMessage(error)],
        );
        const publishFailed = new Error(`publishing ${rows.length} outbox rows failed`, {
          cause: error,
        });
        return { publishFailed };
      }
      await options.afterPublish?.(rows.length);
      unmarked = seqs;
      return rows.length === batchSize ? 'more' : 'drained';
    });
  }

  /**
   * Marks what this relay published last and reads up to `limit` of the oldest unpublished rows,
   * in one statement. A data-modifying WITH runs once whether or not it is read, and the SELECT
   * sees the rows as they were before it, hence `seq <> ALL`.
   */
  async function markAndRead(session: PoolClient, limit: number): Promise<OutboxRow[]> {
    const { rows } = await session.query<OutboxRow>(
      `WITH marked AS (
         UPDATE outbox SET published_at = now(), attempts = attempts + 1
         WHERE seq = ANY($2::bigint[])
       )
       SELECT seq, topic, key, envelope, headers FROM outbox
       WHERE published_at IS NULL AND seq <> ALL($2::bigint[]) ORDER BY seq LIMIT $1`,
      [limit, unmarked],
    );
    unmarked = [];
    return rows;
  }

  /** At a stop, while the lock is still held: what this relay published is marked so. */
  async function markPublished(): Promise<void> {
    if (unmarked.length === 0) return;
    const session = await lock.claim();
    if (!session) return;
    await lock.using(() => markAndRead(session, 0));
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
  return {
    async stop() {
      await loop.stop();
      await markPublished().catch((error: unknown) => {
        logger.warn(
          { err: error },
          'marking published rows failed; the next relay sends them again',
        );
      });
      lock.release();
    },
  };
}

interface PublisherLock {
  /** The connection holding the lock: kept from an earlier round, or taken now. None: standby. */
  claim(): Promise<PoolClient | undefined>;
  /** Runs work on the holding connection; a failed statement gives the lock (and it) up. */
  using<T>(work: () => Promise<T>): Promise<T>;
  /** Ends the holding session, which frees the lock for a standby relay. */
  release(): void;
}

/**
 * The relay's lock, held by its session (`pg_try_advisory_lock`) on a connection it keeps out of
 * the pool while it is the publisher. A standby tries on a pooled connection and hands it back.
 *
 * Why this is as safe as a lock per transaction: the holder's mark commits before its next
 * statement, and its session ends (dropping the lock) only after its last statement, so whoever
 * takes the lock next reads, in a later statement, everything the holder marked. A holder that
 * dies between publishing and marking gets its batch published again by the next one, the same
 * window the consumers' inbox already covers. What it trades: a holder that is frozen rather than
 * dead (stopped, not killed) keeps the lock until its connection is closed, where a per-round
 * lock would have let a standby take over between two rounds.
 */
function publisherLock(pool: Pool): PublisherLock {
  let holder: PoolClient | undefined;
  let holderFailure: Error | undefined;
  const onHolderError = (error: Error) => {
    holderFailure = error;
  };

  function drop(reason: Error | true): void {
    const session = holder;
    holder = undefined;
    if (!session) return;
    session.off('error', onHolderError);
    // Destroyed, never returned to the pool: a pooled connection must not carry the lock.
    session.release(reason);
  }

  return {
    async claim() {
      if (holder && holderFailure) drop(holderFailure);
      if (holder) return holder;
      const client = await pool.connect();
      // Out of the pool's hands from here: its dying must not crash the process, during the
      // try-lock statement included.
      holderFailure = undefined;
      client.on('error', onHolderError);
      let held: boolean;
      try {
        const { rows } = await client.query<{ held: boolean }>(
          'SELECT pg_try_advisory_lock($1) AS held',
          [relayLockKey],
        );
        held = rows[0]?.held === true;
      } catch (error) {
        client.off('error', onHolderError);
        client.release(error as Error);
        throw error;
      }
      if (!held) {
        client.off('error', onHolderError);
        client.release(holderFailure);
        return undefined;
      }
      holder = client;
      return client;
    },
    async using(work) {
      const session = holder;
      try {
        return await work();
      } catch (error) {
        if (session && session === holder) drop(error as Error);
        throw error;
      }
    },
    release: () => drop(true),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
