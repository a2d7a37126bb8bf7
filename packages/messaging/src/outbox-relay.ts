import { withTransaction } from '@shop/postgres';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { backoffDelay, sleep } from './backoff';
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

type RoundOutcome = 'drained' | 'more' | 'standby' | 'failed';

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
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const channel = options.channel ?? defaultOutboxChannel;
  const backoff = { baseMs: 200, maxMs: options.maxBackoffMs ?? 30_000 };
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Invalid channel name: ${channel}`);

  const stopping = new AbortController();
  let nudged = false;
  let wake: () => void = () => undefined;
  const nudge = () => {
    nudged = true;
    wake();
  };
  const listener = listenForCommits({ pool, channel, logger, onNotify: nudge, stopping });

  async function round(): Promise<RoundOutcome> {
    return withTransaction(pool, async (tx) => {
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
        logger.warn({ err: error, rows: rows.length }, 'publishing outbox rows failed');
        return 'failed';
      }
      await options.afterPublish?.(rows.length);
      await tx.query(
        'UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])',
        [seqs],
      );
      return rows.length === batchSize ? 'more' : 'drained';
    });
  }

  function pause(ms: number): Promise<void> {
    if (nudged) {
      nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      wake = done;
      stopping.signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        wake = () => undefined;
        nudged = false;
        stopping.signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      let outcome: RoundOutcome;
      try {
        outcome = await round();
      } catch (error) {
        logger.error({ err: error }, 'outbox relay round failed');
        outcome = 'failed';
      }
      if (outcome === 'failed') {
        failures += 1;
        await sleep(backoffDelay(failures, backoff), stopping.signal);
        continue;
      }
      failures = 0;
      if (outcome !== 'more') await pause(pollIntervalMs);
    }
  }

  const running = run();
  return {
    async stop() {
      stopping.abort();
      await running;
      await listener.close();
    },
  };
}

interface ListenOptions {
  pool: Pool;
  channel: string;
  logger: Logger;
  onNotify: () => void;
  stopping: AbortController;
}

/**
 * Holds one pooled connection in LISTEN, and opens another whenever it is lost. A notification
 * missed while reconnecting only costs latency: the relay looks once it is back, and the
 * fallback poll catches anything else.
 */
function listenForCommits({ pool, channel, logger, onNotify, stopping }: ListenOptions) {
  let current: { client: PoolClient; close: () => Promise<void> } | undefined;
  let retry: NodeJS.Timeout | undefined;

  const reconnectSoon = () => {
    if (!stopping.signal.aborted) retry = setTimeout(() => void connect(), 1_000);
  };

  async function connect(): Promise<void> {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      logger.warn({ err: error }, 'outbox LISTEN connection failed; retrying');
      return reconnectSoon();
    }
    let released = false;
    const detach = () => {
      client.off('error', drop);
      client.off('end', ended);
      client.off('notification', onNotify);
    };
    function drop(error: Error) {
      if (released) return;
      released = true;
      if (current?.client === client) current = undefined;
      detach();
      client.release(error);
      logger.warn({ err: error }, 'outbox LISTEN connection lost; reconnecting');
      reconnectSoon();
    }
    function ended() {
      drop(new Error('LISTEN connection ended'));
    }
    client.on('error', drop);
    client.on('end', ended);
    client.on('notification', onNotify);
    try {
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      return drop(error as Error);
    }
    if (stopping.signal.aborted) {
      released = true;
      detach();
      return client.release();
    }
    current = {
      client,
      async close() {
        client.off('notification', onNotify);
        await client.query(`UNLISTEN ${channel}`).catch(() => undefined);
        if (released) return;
        released = true;
        detach();
        client.release();
      },
    };
    // Rows committed while nobody was listening raised no notification we could hear.
    onNotify();
  }

  void connect();
  return {
    async close() {
      clearTimeout(retry);
      const listening = current;
      current = undefined;
      await listening?.close();
    },
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
