import type Redis from 'ioredis';

export interface WindowCount {
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again. */
  resetMs: number;
}

export interface Hit {
  key: string;
  windowMs: number;
}

/**
 * A fixed window per key: the first hit creates the counter with the window as its expiry, so
 * the count, the expiry and the read happen in one atomic step (no race between INCR and
 * PEXPIRE, no key left without an expiry if the gateway dies in between). Several keys (an
 * address and a user) are counted in one call: one round trip to Redis per request.
 */
const hitScript = `
local result = {}
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[i])
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if count == 1 or ttl < 0 then
    redis.call('PEXPIRE', key, window)
    ttl = window
  end
  result[#result + 1] = count
  result[#result + 1] = ttl
end
return result
`;

interface RedisWithHit extends Redis {
  rateLimitHit(numberOfKeys: number, ...keysThenWindows: (string | number)[]): Promise<number[]>;
}

export interface RateLimitStore {
  /** Counts one request against each key; the counts come back in the same order. */
  hit(hits: Hit[]): Promise<WindowCount[]>;
}

export function redisRateLimitStore(redis: Redis, prefix: string): RateLimitStore {
  // defineCommand sends EVALSHA and falls back to EVAL once after a Redis restart flushed scripts.
  redis.defineCommand('rateLimitHit', { lua: hitScript });
  const client = redis as RedisWithHit;
  return {
    async hit(hits) {
      const flat = await client.rateLimitHit(
        hits.length,
        ...hits.map(({ key }) => `${prefix}${key}`),
        ...hits.map(({ windowMs }) => windowMs),
      );
      return hits.map((_, i) => ({ count: flat[2 * i]!, resetMs: flat[2 * i + 1]! }));
    },
  };
}
