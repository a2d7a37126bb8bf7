import { startWorkerLoop, withTransaction, type Pool } from '@shop/postgres';
import type { Logger } from '@shop/service-kit';
import { purgeIdempotencyKeys } from '../data/idempotency-keys';
import { runDueSaga, type SagaSettings } from './saga';
import type { StepLatency } from './step-latency';

export interface SagaTimerOptions {
  pool: Pool;
  settings: SagaSettings;
  tickMs: number;
  /** Idempotency keys older than this are forgotten (API.md: at least 24 h). */
  keyRetentionMs: number;
  logger: Logger;
  /** Bounds one round, so a large backlog is worked through in slices between ticks. */
  maxPerRound?: number;
  /** The replies' latencies the handlers record: re-sends and deadlines allow for them. */
  stepLatency?: StepLatency;
}

export interface SagaTimer {
  /** Handles every saga due now (up to maxPerRound); how many it handled. */
  tick(): Promise<number>;
  /** Finishes the current saga, then stops. */
  stop(): Promise<void>;
}

const purgeEveryMs = 60_000;

/**
 * Drives the sagas' deadlines from their stored state alone, so a restarted instance resumes every
 * unfinished saga on its first tick. Each saga is handled in its own short transaction and claimed
 * with SKIP LOCKED, so several instances tick side by side without handling one saga twice.
 */
export function startSagaTimer({
  pool,
  settings,
  tickMs,
  keyRetentionMs,
  logger,
  maxPerRound = 200,
  stepLatency,
}: SagaTimerOptions): SagaTimer {
  const log = logger.child({ component: 'saga-timer' });
  let lastPurge = 0;

  async function tick(stopping?: AbortSignal): Promise<number> {
    let handled = 0;
    const queueing = { stepLatencyMs: stepLatency?.p90() ?? 0 };
    while (handled < maxPerRound && !stopping?.aborted) {
      const context = { now: new Date(), settings, queueing, cause: {} };
      const orderId = await withTransaction(pool, (tx) => runDueSaga(tx, context));
      if (orderId === undefined) break;
      log.debug({ orderId }, 'saga deadline handled');
      handled += 1;
    }
    return handled;
  }

  async function purgeKeys(): Promise<void> {
    if (Date.now() - lastPurge < purgeEveryMs) return;
    lastPurge = Date.now();
    const purged = await withTransaction(pool, (tx) =>
      purgeIdempotencyKeys(tx, new Date(Date.now() - keyRetentionMs)),
    );
    if (purged > 0) log.info({ purged }, 'expired idempotency keys forgotten');
  }

  const loop = startWorkerLoop({
    name: 'saga timer',
    logger: log,
    idleMs: tickMs,
    async round(stopping) {
      await tick(stopping);
      await purgeKeys();
      // Even after a full round: the rest of a backlog waits for the next tick (maxPerRound).
      return 'idle';
    },
  });
  return { tick: () => tick(), stop: () => loop.stop() };
}
