import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

export type { Redis };

export function createRedis(url: string): Redis {
  return new Redis(url, {
    // A request waits for a reconnect a few times, then fails: the client gets an error (and the
    // readiness check a failure) instead of a request hanging on a dead Redis.
    maxRetriesPerRequest: 3,
    connectionName: 'cart',
  });
}

export type LuaReply = [status: string, value: string];

/**
 * A Lua script run by its SHA (EVALSHA), sent in full only when Redis does not know it yet
 * (after a restart or SCRIPT FLUSH). Redis runs a script atomically: no other command runs
 * between its reads and its writes, which is what makes the cart's read-modify-write safe.
 */
export function luaScript(source: string) {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (redis: Redis, keys: string[], args: Array<string | number>): Promise<LuaReply> => {
    try {
      return (await redis.evalsha(sha, keys.length, ...keys, ...args)) as LuaReply;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await redis.eval(source, keys.length, ...keys, ...args)) as LuaReply;
    }
  };
}
