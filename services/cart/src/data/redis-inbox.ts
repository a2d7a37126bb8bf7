import type { Inbox, InboxEntry } from '@shop/messaging';
import type { ChainableCommander } from 'ioredis';
import type { CartKeys } from './keys';
import type { Redis } from './redis';

/** What a message handler writes its effect through (the Redis counterpart of a transaction). */
export interface RedisUnit {
  /** Reads a key and watches it: a write by anyone else before the commit retries the whole step. */
  read(key: string): Promise<string | null>;
  /** Queued, and executed in one MULTI/EXEC together with the inbox record. */
  readonly writes: ChainableCommander;
}

export interface RedisInboxOptions {
  keys: CartKeys;
  /** How long an applied message id is remembered. */
  ttlMs: number;
  /** Optimistic rounds before giving up; the consumer then retries the message with backoff. */
  maxRounds?: number;
}

export interface RedisInbox extends Inbox<RedisUnit> {
  close(): Promise<void>;
}

/**
 * An inbox in Redis, as one optimistic transaction: WATCH the inbox key (and every key the effect
 * reads), skip if the message was applied before, then EXEC the effect's writes together with
 * `SET inbox-key EX ttl`. If any watched key changed in between (a concurrent cart request, or
 * another replica applying the same message), EXEC does nothing and the round starts again. So
 * "already applied?" and the effect are one atomic step.
 *
 * WATCH belongs to a connection, so the inbox has a connection of its own and runs one step at a
 * time on it; a shared connection would mix other callers' commands into the transaction.
 */
export function redisInbox(redis: Redis, options: RedisInboxOptions): RedisInbox {
  const connection = redis.duplicate({ connectionName: 'cart-inbox' });
  const maxRounds = options.maxRounds ?? 20;
  let queue: Promise<unknown> = Promise.resolve();

  async function applyOnce(
    entry: InboxEntry,
    effect: (unit: RedisUnit) => Promise<void>,
  ): Promise<boolean> {
    const inboxKey = options.keys.inbox(entry.consumer, entry.messageId);
    for (let round = 1; round <= maxRounds; round += 1) {
      const [, applied] = await inOneRoundTrip(
        connection.pipeline().watch(inboxKey).exists(inboxKey),
      );
      if (applied === 1) {
        await connection.unwatch();
        return false;
      }
      const writes = connection.multi();
      const unit: RedisUnit = {
        async read(key) {
          const [, value] = await inOneRoundTrip(connection.pipeline().watch(key).get(key));
          return value as string | null;
        },
        writes,
      };
      try {
        await effect(unit);
      } catch (error) {
        await connection.unwatch();
        throw error;
      }
      writes.set(
        inboxKey,
        JSON.stringify({ topic: entry.topic, appliedAt: new Date() }),
        'PX',
        options.ttlMs,
      );
      const results = await writes.exec();
      if (results === null) continue;
      throwFirstError(results);
      return true;
    }
    throw new Error(`message ${entry.messageId} kept conflicting after ${maxRounds} rounds`);
  }

  return {
    applyOnce(entry, effect) {
      const step = queue.then(() => applyOnce(entry, effect));
      queue = step.catch(() => undefined);
      return step;
    },
    async close() {
      await queue;
      await connection.quit();
    },
  };
}

/**
 * A pipeline's replies, sent in one write and awaited once; the first error is thrown. A WATCH
 * and the read behind it can share one: Redis runs a connection's commands in order, so the read
 * is still covered by the watch.
 */
async function inOneRoundTrip(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = await pipeline.exec();
  if (results === null) throw new Error('a pipeline without MULTI answered null');
  throwFirstError(results);
  return results.map(([, value]) => value);
}

function throwFirstError(results: Array<[error: Error | null, value: unknown]>): void {
  const failure = results.find(([error]) => error !== null)?.[0];
  if (failure) throw failure;
}
