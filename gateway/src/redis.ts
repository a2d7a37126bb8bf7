import { once } from 'node:events';
import Redis from 'ioredis';
import type { Logger } from '@shop/service-kit';

/**
 * Tuned for a limiter that must never hold a request up: with the offline queue off a command
 * fails at once while disconnected (instead of waiting for a reconnect), and a command Redis
 * does not answer in time fails too. ioredis keeps reconnecting in the background.
 */
export function createRedis(url: string, commandTimeoutMs: number, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!reported) logger.warn({ err: error }, 'redis connection failed; retrying');
    reported = true;
  });
  redis.on('ready', () => {
    reported = false;
  });
  return redis;
}

/** Waits for the first connection, but not forever: the gateway starts (and fails open) without Redis. */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    await once(redis, 'ready', { signal: timeout });
    return true;
  } catch {
    return false;
  }
}
