import type { Request, RequestHandler } from 'express';
import { AppError, type Logger } from '@shop/service-kit';
import { Counter, type Registry } from 'prom-client';
import { appendRateLimitHeaders, type Policy } from './headers';
import type { RateLimitStore } from './limiter';

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

export interface RateLimitOptions {
  store: RateLimitStore;
  policy: Policy;
  /** The subject counted (an address, a user id); undefined skips this limiter for the request. */
  subjectOf: (req: Request) => string | undefined;
  metrics: RateLimitMetrics;
  logger: Logger;
}

/**
 * Counts the request against its subject's window; over the quota → 429 with Retry-After and the
 * draft RateLimit headers. When Redis cannot answer, the request goes through: losing rate
 * limiting for a while is better than taking the whole API down with the limiter's store. The
 * failure is logged (once per outage) and counted in `gateway_rate_limit_store_errors_total`.
 */
export function rateLimit({
  store,
  policy,
  subjectOf,
  metrics,
  logger,
}: RateLimitOptions): RequestHandler {
  let failing = false;
  return async (req, res, next) => {
    const subject = subjectOf(req);
    if (subject === undefined) {
      next();
      return;
    }
    let count: number;
    let resetMs: number;
    try {
      ({ count, resetMs } = await store.hit(`${policy.name}:${subject}`, policy.windowMs));
    } catch (error) {
      metrics.storeErrors.inc();
      if (!failing)
        logger.warn(
          { err: error, policy: policy.name },
          'rate limiting is off: Redis is unreachable',
        );
      failing = true;
      next();
      return;
    }
    if (failing) logger.info({ policy: policy.name }, 'rate limiting is back: Redis answers again');
    failing = false;
    appendRateLimitHeaders(res, policy, { remaining: policy.quota - count, resetMs });
    if (count > policy.quota) {
      metrics.limited.inc({ policy: policy.name });
      throw new AppError(
        'RATE_LIMITED',
        `Rate limit "${policy.name}" of ${policy.quota} requests per ${Math.ceil(policy.windowMs / 1000)} s exceeded`,
        { retryAfterMs: resetMs },
      );
    }
    next();
  };
}
