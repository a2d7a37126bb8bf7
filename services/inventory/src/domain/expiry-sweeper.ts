import { startWorkerLoop, withTransaction, type Pool } from '@shop/postgres';
import type { Logger } from '@shop/service-kit';
import { expireNextReservation } from './expire-reservation';

export interface ExpirySweeperOptions {
  pool: Pool;
  intervalMs: number;
  logger: Logger;
  /** Bounds one round, so a huge backlog is worked through in slices between pauses. */
  maxPerRound?: number;
}

export interface ExpirySweeper {
  /** Releases every reservation due now (up to maxPerRound); how many it released. */
  sweep(): Promise<number>;
  /** Finishes the current release, then stops. */
  stop(): Promise<void>;
}

/**
 * Releases reservations nobody committed or released within their TTL. Each release is its own
 * short transaction, so a sweeper holds the stock rows of one order at a time and concurrent
 * reservations wait for milliseconds, not for a whole batch. Several replicas can sweep at once:
 * each skips the reservations another holds.
 */
export function startExpirySweeper({
  pool,
  intervalMs,
  logger,
  maxPerRound = 500,
}: ExpirySweeperOptions): ExpirySweeper {
  const log = logger.child({ component: 'expiry-sweeper' });

  async function sweep(stopping?: AbortSignal): Promise<number> {
    let released = 0;
    while (released < maxPerRound && !stopping?.aborted) {
      const orderId = await withTransaction(pool, expireNextReservation);
      if (orderId === undefined) break;
      log.info({ orderId }, 'reservation expired; units released');
      released += 1;
    }
    return released;
  }

  const loop = startWorkerLoop({
    name: 'expiry sweeper',
    logger: log,
    idleMs: intervalMs,
    async round(stopping) {
      await sweep(stopping);
      // Even after a full round: the rest of a backlog waits for the next pause (maxPerRound).
      return 'idle';
    },
  });
  return { sweep: () => sweep(), stop: () => loop.stop() };
}
