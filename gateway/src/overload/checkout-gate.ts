import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { CheckoutGate as CheckoutGateView } from '@shop/contracts';
import { AppError, counter, type Door, type Registry } from '@shop/service-kit';
import { retryPacer } from './retry-pacer';

export interface CheckoutGateOptions {
  /**
   * How long the gateway refuses new checkouts itself after the order service refused one as
   * full; 0 turns the gate off (every checkout reaches the order service).
   */
  holdMs: number;
  /** Lengthen Retry-After while refusals outnumber admissions (retry-pacer.ts); default true. */
  paceRetries?: boolean;
  registry: Registry;
  /** Whether the request's token was verified lately, so it would pass authentication. */
  isKnownShopper?: (req: IncomingMessage) => boolean;
  now?: () => number;
}

export interface CheckoutGate {
  /**
   * At the gateway's door: during a hold it refuses a known shopper's checkout (see
   * `isKnownShopper`) before the app, so without the limiter's round trip to Redis too. Every
   * other checkout goes on to `middleware`.
   */
  door: Door;
  /** For `POST /api/orders`, after authentication and rate limits, before the proxy. */
  middleware: RequestHandler;
  view(): CheckoutGateView;
}

/** `POST /api/orders`, as express matches it: any case, a trailing slash or not, any query. */
const checkoutPath = /^\/api\/orders\/?(?:\?|$)/i;

/**
 * Sheds new checkouts at the edge while the order service says it is full (docs/decisions/0005).
 *
 * The order service decides what "full" means: its admission control refuses a checkout with 503
 * and Retry-After when the sagas in flight reach its limit. The gateway learns that from the
 * answer and, for `holdMs`, refuses further checkouts itself with the same Retry-After (what is
 * left of it, or longer while refusals far outnumber admissions: retry-pacer.ts): a refusal then
 * costs one gateway request and nothing else — no hop, no SQL, no wait in the order service's
 * queue behind the sagas — so the cores go to the checkouts that were let in, and a refused
 * client hears so at once.
 *
 * The hold is short against the time the limit takes to drain (at capacity the pipeline finishes
 * a checkout every ~60 ms and holds about a second of them), so the order service is asked again
 * while most of its pipeline is still busy: the gate lowers how often a refusal reaches it, never
 * the number of checkouts it lets in. Each gateway replica learns on its own.
 *
 * During a hold a client's retry of a checkout that was already placed is refused too (the
 * gateway cannot tell a replay from a new checkout without the order service's records). That is
 * safe by the contract — a retry with the same Idempotency-Key never places a second order — and
 * the retry after Retry-After gets the original answer.
 */
export function checkoutGate({
  holdMs,
  paceRetries = true,
  registry,
  isKnownShopper = () => false,
  now = Date.now,
}: CheckoutGateOptions): CheckoutGate {
  let closedUntil = 0;
  /** When the order service said to come back. */
  let retryAt = 0;
  let shed = 0;
  const pacer = retryPacer(paceRetries ? {} : { maxSeconds: 1 });
  const shedCounter = counter(registry, {
    name: 'gateway_checkouts_shed_total',
    help: 'New checkouts the gateway refused itself (503) while the order service reported full',
  });

  function learn(status: number, retryAfter: string | number | string[] | undefined): void {
    const at = now();
    if (status === 202) pacer.admitted(at);
    const seconds = Number(retryAfter);
    if (status !== 503 || !Number.isFinite(seconds) || seconds <= 0) return;
    pacer.refused(at);
    retryAt = at + seconds * 1000;
    closedUntil = Math.min(at + holdMs, retryAt);
  }

  const holding = (at: number) => holdMs > 0 && at < closedUntil;

  function refusal(at: number): AppError {
    shed += 1;
    shedCounter.inc();
    pacer.refused(at);
    return new AppError(
      'OVERLOADED',
      'checkout is full: retry with the same Idempotency-Key after Retry-After seconds',
      { retryAfterMs: Math.max(retryAt - at, pacer.retryAfterSeconds(at) * 1000) },
    );
  }

  // Under overload the machine is short of CPU, and a refusal that waits for Redis waits for a
  // turn of a busy event loop as well: most of its time was that wait (docs/performance.md).
  // Only a shopper the gateway already knows is refused this early, so a request without a valid
  // token still gets its 401, and a flood of forged tokens still meets the rate limiter.
  const door: Door = (req) => {
    if (req.method !== 'POST' || !checkoutPath.test(req.url ?? '')) return undefined;
    const at = now();
    return holding(at) && isKnownShopper(req) ? refusal(at) : undefined;
  };

  const middleware: RequestHandler = (_req, res, next) => {
    if (holdMs <= 0) {
      next();
      return;
    }
    const at = now();
    if (holding(at)) throw refusal(at);
    res.once('finish', () => learn(res.statusCode, res.getHeader('retry-after')));
    next();
  };

  return {
    door,
    middleware,
    view: () => ({
      holdMs,
      shed,
      shedding: now() < closedUntil,
      retryAfterSeconds: pacer.retryAfterSeconds(now()),
    }),
  };
}
