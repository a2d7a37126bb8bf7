import type { Pool } from 'pg';
import { sleep } from './sleep';

export interface ListenLogger {
  warn(details: object, message: string): void;
}

export interface ListenOptions {
  pool: Pool;
  channel: string;
  logger: ListenLogger;
  /** Called for every notification, and once each time listening (re)starts. */
  onNotify: () => void;
}

export interface Listener {
  /** Stops listening and gives the connection back to the pool. */
  close(): Promise<void>;
}

/** A channel is an identifier, and LISTEN takes no query parameter to carry one safely. */
const channelName = /^[a-z_][a-z0-9_]*$/;

/** Between losing the connection (or failing to get one) and trying again. */
const reconnectDelayMs = 1_000;

/**
 * Holds one pooled connection in LISTEN, and opens another whenever it is lost. A notification
 * missed while reconnecting only costs latency: `onNotify` is called once listening again, and
 * the caller's fallback poll catches anything else.
 */
export function listenForNotifications(options: ListenOptions): Listener {
  const { channel, logger } = options;
  if (!channelName.test(channel)) throw new Error(`Invalid channel name: ${channel}`);
  const closing = new AbortController();

  async function keepListening(): Promise<void> {
    while (!closing.signal.aborted) {
      try {
        await listenUntilClosed(options, closing.signal);
      } catch (error) {
        logger.warn({ err: error, channel }, 'LISTEN connection failed or lost; reconnecting');
        await sleep(reconnectDelayMs, closing.signal);
      }
    }
  }

  const listening = keepListening();
  return {
    async close() {
      closing.abort();
      await listening;
    },
  };
}

/** Resolves once `closed` aborts; rejects when the connection fails or is lost before that. */
async function listenUntilClosed(
  { pool, channel, onNotify }: ListenOptions,
  closed: AbortSignal,
): Promise<void> {
  const client = await pool.connect();
  let lost: Error | undefined;
  let stopWaiting: () => void = () => undefined;
  const onLost = (error: Error) => {
    lost ??= error;
    stopWaiting();
  };
  const onEnded = () => onLost(new Error('LISTEN connection ended'));
  const onClosed = () => stopWaiting();
  // Attached before the first await: an 'error' on a checked-out client with no listener would
  // crash the process (the pool listens only while the client is idle).
  client.on('error', onLost);
  client.on('end', onEnded);
  client.on('notification', onNotify);
  closed.addEventListener('abort', onClosed);
  try {
    await client.query(`LISTEN ${channel}`);
    // Rows committed while nobody was listening raised no notification we could hear.
    onNotify();
    await new Promise<void>((resolve) => {
      stopWaiting = resolve;
      if (lost || closed.aborted) resolve();
    });
    if (lost) throw lost;
    // Back in the pool, the connection must not go on listening for its next borrower.
    await client.query(`UNLISTEN ${channel}`);
  } catch (error) {
    lost ??= error as Error;
    throw error;
  } finally {
    closed.removeEventListener('abort', onClosed);
    client.off('error', onLost);
    client.off('end', onEnded);
    client.off('notification', onNotify);
    // A failed connection is destroyed rather than handed to the next borrower.
    client.release(lost);
  }
}
