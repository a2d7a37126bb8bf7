import { Client } from 'pg';
import { backoffDelay } from './backoff';

/** pino's shape; a service passes its own logger. */
export interface ListenerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface ChannelListenerOptions {
  connectionString: string;
  /** A fixed identifier of the service's own (never a client's input: LISTEN takes no parameter). */
  channel: string;
  applicationName?: string;
  onNotification(payload: string): void;
  /**
   * Called after the connection was lost and LISTEN is in place again: notifications sent in
   * between are gone, so whoever waits on one should read the state afresh.
   */
  onReconnected(): void;
  logger: ListenerLogger;
}

export interface ChannelListener {
  close(): Promise<void>;
}

const reconnectBackoff = { baseMs: 250, maxMs: 10_000 };

/**
 * A connection of its own that LISTENs on one channel of PostgreSQL's NOTIFY, kept out of the pool
 * (it would hold a pooled connection for good), reconnecting with backoff when it is lost.
 * NOTIFY is delivered on commit, so what it announces is readable by the time it arrives.
 */
export function listenToChannel(options: ChannelListenerOptions): ChannelListener {
  const { channel, logger } = options;
  let client: Client | undefined;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const next = new Client({
      connectionString: options.connectionString,
      application_name: options.applicationName,
    });
    let gone = false;
    // 'error' and 'end' may both come for one loss: it is handled once.
    const onLost = (error: unknown) => {
      if (gone) return;
      gone = true;
      lost(next, error);
    };
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined)
        options.onNotification(message.payload);
    });
    next.on('error', onLost);
    next.on('end', () => onLost(new Error('connection ended')));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      onLost(error);
      return;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    if (failures > 0) {
      logger.info({ channel }, 'listening again');
      options.onReconnected();
    }
    failures = 0;
  }

  function lost(which: Client, error: unknown): void {
    if (client === which) client = undefined;
    void which.end().catch(() => undefined);
    if (closed) return;
    failures += 1;
    const delayMs = backoffDelay(failures, reconnectBackoff);
    logger.warn({ err: error, channel, delayMs }, 'listen connection lost; reconnecting');
    clearTimeout(retry);
    retry = setTimeout(() => void connect(), delayMs);
  }

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
