import { withTransaction, type Pool } from '@shop/postgres';
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
  const stopping = new AbortController();

  async function sweep(): Promise<number> {
    let released = 0;
    while (released < maxPerRound && !stopping.signal.aborted) {
      const orderId = await withTransaction(pool, expireNextReservation);
      if (orderId === undefined) break;
      log.info({ orderId }, 'reservation expired; units released');
      released += 1;
    }
    return released;
  }

  async function run(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        await sweep();
      } catch (error) {
        log.error({ err: error }, 'expiry sweep failed; trying again next round');
      }
      await pause(intervalMs, stopping.signal);
    }
  }

  const running = run();
  return {
    sweep,
    async stop() {
      stopping.abort();
      await running;
    },
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // An abort that came while the round ran has already fired; it would not wake us again.
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
