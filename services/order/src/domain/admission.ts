import type { CheckoutAdmission } from '@shop/contracts';
import { startWorkerLoop, type Pool } from '@shop/postgres';
import { AppError, counter, observedGauge, type Logger, type Registry } from '@shop/service-kit';
import { readSagaLoad, sagaEndedChannel, type SagaLoad } from '../data/saga-load';

export interface AdmissionSettings {
  /**
   * The saga latency the limit aims for under load. By Little's law the pipeline holds
   * throughput × latency orders, so admitting at most throughput × target keeps latency near the
   * target: work past that would only wait in queues, then time out and be retried.
   */
  targetLatencyMs: number;
  /** Never below this: enough to reach full throughput from idle, when nothing has been measured. */
  minLimit: number;
  maxLimit: number;
  /** Throughput is what ended in this window. */
  windowMs: number;
  /**
   * The load is read again whenever an order's saga ends (a NOTIFY at its commit), and at least
   * this often: the orders that ended leave the throughput window on the clock.
   */
  refreshMs: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export function throughputOf(load: SagaLoad, { windowMs }: AdmissionSettings): number {
  return load.endedInWindow / (windowMs / 1000);
}

/** How many orders may be in flight: measured throughput × target latency, within bounds. */
export function admissionLimit(load: SagaLoad, settings: AdmissionSettings): number {
  const { targetLatencyMs, minLimit, maxLimit } = settings;
  const littlesLaw = Math.round((throughputOf(load, settings) * targetLatencyMs) / 1000);
  return clamp(littlesLaw, minLimit, maxLimit);
}

/**
 * How long a refused client should wait: the time the pipeline takes, at its measured rate, to
 * finish the orders above the limit, in whole seconds as Retry-After counts (1 s to 30 s).
 */
export function retryAfterMs(inFlight: number, limit: number, throughputPerSecond: number): number {
  const excess = inFlight - limit + 1;
  const drainMs = throughputPerSecond > 0 ? (excess / throughputPerSecond) * 1000 : 1000;
  return clamp(Math.ceil(drainMs / 1000) * 1000, 1000, 30_000);
}

export interface Admission {
  /**
   * Lets a new checkout in, or throws OVERLOADED (503 with Retry-After) before anything is done.
   * The checkout calls the returned function when it has ended, written or not. Requests with
   * one `key` (customer and Idempotency-Key) in flight at once are one checkout: all but one
   * will be replays, so they are let in together and counted once.
   */
  admit(key: string): () => void;
  view(): CheckoutAdmission;
  stop(): Promise<void>;
}

interface Checkout {
  /** Requests of this checkout still being answered. */
  requests: number;
  endedAt?: number;
}

export interface AdmissionOptions {
  pool: Pool;
  settings: AdmissionSettings;
  logger: Logger;
  registry: Registry;
}

/**
 * Admission control for new checkouts. The load is read from the orders table whenever a saga
 * ends (on any instance) and a few times a second, so every instance sees the whole system's
 * pipeline (a restarted one included), and a place that frees is offered to the next checkout
 * within milliseconds: a poll's wait would leave it empty, and the pipeline short of its limit. The
 * checkouts this instance let in are added until a read that began after they ended has counted
 * them, so neither a burst between reads nor a read that raced a commit lets too many in.
 */
export function startAdmission({ pool, settings, logger, registry }: AdmissionOptions): Admission {
  const log = logger.child({ component: 'admission' });
  let load: SagaLoad = { inFlight: 0, endedInWindow: 0 };
  let limit = settings.minLimit;
  /** Admitted here and not yet seen by a read: still placing, or ended after the last read began. */
  const unseen = new Set<Checkout>();
  /** The checkouts still placing, by key, so that identical requests share one. */
  const placing = new Map<string, Checkout>();
  let shed = 0;
  /** When the read behind `load` began (Unix ms): the view is exact for checkouts ended before. */
  let loadReadAt = 0;
  const shedCounter = counter(registry, {
    name: 'order_checkouts_shed_total',
    help: 'New checkouts refused with 503 because the saga pipeline was full',
  });

  const view = (): CheckoutAdmission => ({
    inFlight: load.inFlight + unseen.size,
    limit,
    throughputPerSecond: throughputOf(load, settings),
    shed,
  });
  observedGauge(registry, {
    name: 'order_sagas_in_flight',
    help: 'Orders whose saga has not ended, system-wide (as last read, plus admitted since)',
    read: () => view().inFlight,
  });
  observedGauge(registry, {
    name: 'order_admission_load_read_seconds',
    help:
      'When the saga load behind the admission view was last read (Unix time at the start of ' +
      'the read): until a read that began after a checkout ended, that checkout may count twice',
    read: () => loadReadAt / 1_000,
  });
  observedGauge(registry, {
    name: 'order_admission_limit',
    help: 'How many sagas may be in flight before new checkouts are refused',
    read: () => limit,
  });

  function newCheckout(key: string): Checkout {
    const checkout: Checkout = { requests: 0 };
    unseen.add(checkout);
    placing.set(key, checkout);
    return checkout;
  }

  const loop = startWorkerLoop({
    name: 'admission',
    logger: log,
    idleMs: settings.refreshMs,
    wakeOn: { pool, channel: sagaEndedChannel },
    async round() {
      const startedAt = performance.now();
      const readAt = Date.now();
      const read = await readSagaLoad(pool, new Date(readAt - settings.windowMs));
      load = read;
      loadReadAt = readAt;
      for (const checkout of unseen) {
        if (checkout.endedAt !== undefined && checkout.endedAt < startedAt) unseen.delete(checkout);
      }
      limit = admissionLimit(read, settings);
      return 'idle';
    },
  });

  return {
    admit(key) {
      const { inFlight, throughputPerSecond } = view();
      const checkout = placing.get(key) ?? (inFlight < limit ? newCheckout(key) : undefined);
      if (checkout) {
        checkout.requests += 1;
        return () => {
          checkout.requests -= 1;
          if (checkout.requests > 0) return;
          placing.delete(key);
          checkout.endedAt = performance.now();
        };
      }
      shed += 1;
      shedCounter.inc();
      throw new AppError(
        'OVERLOADED',
        `checkout is full: ${inFlight} orders in progress, the limit is ${limit}; retry later ` +
          '(nothing was written, so retrying with the same Idempotency-Key is safe)',
        { retryAfterMs: retryAfterMs(inFlight, limit, throughputPerSecond) },
      );
    },
    view,
    stop: () => loop.stop(),
  };
}
