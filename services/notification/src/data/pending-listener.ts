import type { Pool } from '@shop/postgres';
import type { Logger } from '@shop/service-kit';
import type { PoolClient } from 'pg';
import { pendingChannel } from './notifications';

export interface PendingListener {
  close(): Promise<void>;
}

interface Listening {
  client: PoolClient;
  detach(): void;
}

/**
 * Holds one pooled connection in LISTEN and opens another whenever it is lost. A notification
 * missed meanwhile only costs latency: `onPending` is called again once listening, and the
 * sender's fallback poll catches anything else.
 */
export function listenForPending(
  pool: Pool,
  logger: Logger,
  onPending: () => void,
): PendingListener {
  let closed = false;
  let current: Listening | undefined;
  let retry: NodeJS.Timeout | undefined;

  const reconnectSoon = () => {
    if (!closed) retry = setTimeout(() => void connect(), 1_000);
  };

  async function connect(): Promise<void> {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      logger.warn({ err: error }, 'LISTEN connection failed; retrying');
      return reconnectSoon();
    }
    if (closed) return client.release();
    const lost = (error: Error) => {
      if (current?.client !== client) return;
      current = undefined;
      detach();
      client.release(error);
      logger.warn({ err: error }, 'LISTEN connection lost; reconnecting');
      reconnectSoon();
    };
    const ended = () => lost(new Error('LISTEN connection ended'));
    const detach = () => {
      client.off('error', lost);
      client.off('end', ended);
      client.off('notification', onPending);
    };
    current = { client, detach };
    client.on('error', lost);
    client.on('end', ended);
    client.on('notification', onPending);
    try {
      await client.query(`LISTEN ${pendingChannel}`);
    } catch (error) {
      return lost(error as Error);
    }
    onPending();
  }

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const listening = current;
      current = undefined;
      if (!listening) return;
      listening.detach();
      await listening.client.query(`UNLISTEN ${pendingChannel}`).catch(() => undefined);
      listening.client.release();
    },
  };
}
