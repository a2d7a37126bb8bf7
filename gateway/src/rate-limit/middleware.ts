import type { Request, RequestHandler } from 'express';
import { AppError, type Logger } from '@shop/service-kit';
import { Counter, type Registry } from 'prom-client';
import { appendRateLimitHeaders, type Policy } from './headers';
import type { RateLimitStore, WindowCount } from './limiter';

export interface RateLimitMetrics {
  limited: Counter<'policy'>;
  storeErrors: Counter;
}

export function rateLimitMetrics(registry: Registry): RateLimitMetrics {
  return {
    limited: new Counter({
      name: 'gateway_rate_limited_total',
      help: 'Requests refused with 429, by rate-limit policy',
      labelNames: ['policy'],
      registers: [registry],
    }),
    storeErrors: new Counter({
      name: 'gateway_rate_limit_store_errors_total',
      help: 'Rate-limit checks that could not reach Redis and let the request through (fail open)',
      registers: [registry],
    }),
  };
}

export interface Limit {
  policy: Policy;
  /** The subject counted (an address, a user id); undefined skips this limit for the request. */
  subjectOf: (req: Request) => string | undefined;
}

export interface RateLimitOptions {
  store: RateLimitStore;
  /** Counted together, in one call to the store; a 429 names the first one exceeded. */
  limits: Limit[];
  metrics: RateLimitMetrics;
  logger: Logger;
}

/** What each request has been counted against already ("policy:subject"), so never twice. */
const counted = new WeakMap<Request, Set<string>>();

/**
 * Counts the request against each limit's subject; over a quota → 429 with Retry-After and the
 * draft RateLimit headers. A limit already counted for this request with the same subject is
 * skipped, so one limit may be placed twice: early, for a subject known early (a user whose
 * token was verified lately), and late, for the rest. When Redis cannot answer, the request goes
 * through: losing rate limiting for a while is better than taking the whole API down with the
 * limiter's store. The failure is logged (once per outage) and counted in
 * `gateway_rate_limit_store_errors_total`.
 */
export function rateLimit({ store, limits, metrics, logger }: RateLimitOptions): RequestHandler {
  let failing = false;
  return async (req, res, next) => {
    const seen = counted.get(req) ?? new Set<string>();
    const due = limits.flatMap(({ policy, subjectOf }) => {
      const subject = subjectOf(req);
      const key = `${policy.name}:${subject}`;
      if (subject === undefined || seen.has(key)) return [];
      seen.add(key);
      return [{ policy, key }];
    });
    counted.set(req, seen);
    if (due.length === 0) {
      next();
      return;
    }
    let counts: WindowCount[];
    try {
      counts = await store.hit(due.map(({ policy, key }) => ({ key, windowMs: policy.windowMs })));
    } catch (error) {
      metrics.storeErrors.inc();
      if (!failing)
        logger.warn(
          { err: error, policies: due.map(({ policy }) => policy.name) },
          'rate limiting is off: Redis is unreachable',
        );
      failing = true;
      next();
      return;
    }
    if (failing) logger.info('rate limiting is back: Redis answers again');
    failing = false;
    due.forEach(({ policy }, i) =>
      appendRateLimitHeaders(res, policy, {
        remaining: policy.quota - counts[i]!.count,
        resetMs: counts[i]!.resetMs,
      }),
    );
    const exceeded = due.findIndex(({ policy }, i) => counts[i]!.count > policy.quota);
    if (exceeded >= 0) {
      const { policy } = due[exceeded]!;
      metrics.limited.inc({ policy: policy.name });
      throw new AppError(
        'RATE_LIMITED',
        `Rate limit "${policy.name}" of ${policy.quota} requests per ${Math.ceil(policy.windowMs / 1000)} s exceeded`,
        { retryAfterMs: counts[exceeded]!.resetMs },
      );
    }
    next();
  };
}
