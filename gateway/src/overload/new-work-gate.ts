import type { IncomingMessage } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { NewWorkGate as NewWorkGateView } from '@shop/contracts';
import { AppError, counter, observedGauge, type Door, type Registry } from '@shop/service-kit';

/** The event loop's delay over the time since the last read, in ms. */
export interface DelayMeter {
  read(): number;
  stop(): void;
}

export interface NewWorkGateOptions {
  /**
   * The delay the gateway's event loop is kept under: above it a share of new work is refused,
   * all of it at twice the target. 0: the delay is only reported.
   */
  targetDelayMs: number;
  /**
   * The median time new work that was let in took through the shop, in the last window, kept
   * under this the same way. 0: the latency is only reported.
   */
  targetLatencyMs: number;
  /** How often the signals are read and the share to refuse decided. */
  windowMs?: number;
  registry: Registry;
  meter?: DelayMeter;
  random?: () => number;
  now?: () => number;
}

export interface NewWorkGate {
  /** Checked at the gateway's door, before the app: a refusal must cost as little as possible. */
  door: Door;
  view(): NewWorkGateView;
  stop(): void;
}

const defaultWindowMs = 250;
/** What a refused client is told: four windows, time for the shop to catch up and be read again. */
const retryAfterMs = 1_000;
const resolutionMs = 10;

/**
 * The event loop's delay from `monitorEventLoopDelay`: a timer due every 10 ms records how long
 * each interval really took, so the mean less 10 ms is about how long one turn of the loop takes
 * — how long a request that has arrived waits before the gateway reads it.
 */
export function eventLoopDelayMeter(): DelayMeter {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  return {
    read() {
      const delayMs = histogram.count > 0 ? Math.max(0, histogram.mean / 1e6 - resolutionMs) : 0;
      histogram.reset();
      return delayMs;
    },
    stop: () => histogram.disable(),
  };
}

/**
 * Work a shopper has already put a cart into is never refused here: placing an order has its own
 * admission (the order service's limit and the checkout gate), and following or cancelling one
 * finishes work already admitted. The operators' routes stay answerable whatever the load, and a
 * browser's CORS preflight is answered by the app. Everything else under /api — browsing, carts,
 * signing in, notifications — is new work. Paths match without regard to case, as express's do.
 */
const newWorkPath = /^\/api\/(?!(?:orders|system)(?:[/?]|$))/i;

function isNewWork(req: IncomingMessage): boolean {
  return req.method !== 'OPTIONS' && newWorkPath.test(req.url ?? '');
}

/** How far past its target a signal is: 0 at or below it, 1 at twice it and beyond. */
function overshoot(value: number, target: number): number {
  return target > 0 ? Math.min(1, Math.max(0, (value - target) / target)) : 0;
}

/**
 * Fewer answers than this in a window say nothing about queues (a quiet shop is not overloaded,
 * and one slow answer is not a trend): the latency reads 0.
 */
const fewestForLatency = 8;

/** Signing in hashes a password, slow on purpose: its time says nothing about queues. */
const isTimed = (req: IncomingMessage) => !/^\/api\/auth\//i.test(req.url ?? '');

/** The median of the times new work took in a window, or 0 when too few answers came. */
function latencyOf(took: number[]): number {
  return took.length < fewestForLatency ? 0 : median(took);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Sheds new work at the edge while the shop cannot keep up with it (docs/decisions/0005). Two
 * signals are read every `windowMs`:
 *
 * - the gateway's own event-loop delay: its queue, when the gateway itself is the bottleneck;
 * - the median time the new work it let in took, from the gateway's first look to the last byte
 *   of the answer: every queue behind it — the services' event loops, Redis, PostgreSQL, and on a
 *   machine whose cores are all taken, the wait for a core. A flash sale on two cores showed
 *   why both are needed: the gateway's loop stayed near 20–60 ms while adding to a cart took
 *   ~1 s through it, most of that waiting in the cart service and for a core.
 *
 * While either is above its target, that share of new requests — rising in proportion, all of
 * them at twice the target — is refused with 503 `overloaded` and Retry-After before anything
 * else is done for them (no Redis call, no token check, no proxy hop). The cores then go to the
 * checkouts already under way instead of to carts that checkout admission would refuse anyway,
 * and a refused client hears so at once instead of after seconds in the queues. The gate is
 * checked at the gateway's door (service-kit's door.ts): a refusal costs the gateway a tenth of
 * what it cost when the app answered it.
 *
 * A share, not an on/off switch: the signals of one window decide the next, and refusing all new
 * work for a window because the last one was a little slow would swing the load between nothing
 * and everything. The proportional share settles where the signals sit a little above target.
 */
export function newWorkGate({
  targetDelayMs,
  targetLatencyMs,
  windowMs = defaultWindowMs,
  registry,
  meter = eventLoopDelayMeter(),
  random = Math.random,
  now = () => performance.now(),
}: NewWorkGateOptions): NewWorkGate {
  let delayMs = 0;
  let latencyMs = 0;
  let shedShare = 0;
  let shed = 0;
  /** Times new work let in took, finished in the current window. */
  let took: number[] = [];
  const shedCounter = counter(registry, {
    name: 'gateway_requests_shed_total',
    help: 'New /api requests (not orders) the gateway refused (503) because the shop was behind',
  });
  observedGauge(registry, {
    name: 'gateway_event_loop_delay_seconds',
    help: 'The gateway event loop delay over the last window, as the shedding decision saw it',
    read: () => delayMs / 1000,
  });
  observedGauge(registry, {
    name: 'gateway_new_work_latency_seconds',
    help: 'The median time new work let in took through the gateway in the last window',
    read: () => latencyMs / 1000,
  });
  observedGauge(registry, {
    name: 'gateway_shed_share',
    help: 'The share of new /api requests being refused now (0..1)',
    read: () => shedShare,
  });

  // Read also when a target is 0: the signals are worth seeing on /api/system/health either way.
  const timer = setInterval(() => {
    delayMs = meter.read();
    latencyMs = latencyOf(took);
    took = [];
    shedShare = Math.max(overshoot(delayMs, targetDelayMs), overshoot(latencyMs, targetLatencyMs));
  }, windowMs);
  timer.unref();

  const door: Door = (req, res) => {
    if (!isNewWork(req)) return undefined;
    if (shedShare > 0 && random() < shedShare) {
      shed += 1;
      shedCounter.inc();
      return new AppError('OVERLOADED', 'the shop is busy: retry after Retry-After seconds', {
        retryAfterMs,
      });
    }
    if (isTimed(req)) {
      const started = now();
      res.once('finish', () => took.push(now() - started));
    }
    return undefined;
  };

  return {
    door,
    view: () => ({
      targetDelayMs,
      delayMs: Math.round(delayMs),
      targetLatencyMs,
      latencyMs: Math.round(latencyMs),
      shedShare: Math.round(shedShare * 100) / 100,
      shed,
    }),
    stop() {
      clearInterval(timer);
      meter.stop();
    },
  };
}
