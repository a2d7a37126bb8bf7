import type Redis from 'ioredis';

export interface WindowCount {
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again. */
  resetMs: number;
}

/**
 * A fixed window per key: the first hit creates the counter with the window as its expiry, so
 * the count, the expiry and the read happen in one atomic step (no race between INCR and
 * PEXPIRE, no key left without an expiry if the gateway dies in between).
 */
const hitScript = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

interface RedisWithHit extends Redis {
  rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
}

export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<WindowCount>;
}

export function redisRateLimitStore(redis: Redis, prefix: string): RateLimitStore {
  // defineCommand sends EVALSHA and falls back to EVAL once after a Redis restart flushed scripts.
  redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: hitScript });
  const client = redis as RedisWithHit;
  return {
    async hit(key, windowMs) {
      const [count, resetMs] = await client.rateLimitHit(`${prefix}${key}`, windowMs);
      return { count, resetMs };
    },
  };
}
