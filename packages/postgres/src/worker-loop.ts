import type { Pool } from 'pg';
import { backoffDelay, type Backoff } from './backoff';
import { listenForNotifications, type ListenLogger } from './listen';
import { sleep } from './sleep';

/**
 * What a round found:
 * - `'more'`: work is left; the next round starts at once.
 * - `'idle'`: nothing to do; the loop sleeps `idleMs`, or until woken.
 * - `{ idleMs }`: the next work falls due in that many ms; the loop sleeps that long, or until
 *   woken, and never longer than its own `idleMs` (the fallback poll still applies).
 */
export type RoundResult = 'more' | 'idle' | { idleMs: number };

export interface WorkerLogger extends ListenLogger {
  error(details: object, message: string): void;
}

export interface WorkerLoopOptions {
  /** Names the loop in its log messages. */
  name: string;
  logger: WorkerLogger;
  /**
   * One slice of work. A round that throws is logged and followed by a backoff. `signal` aborts
   * when `stop()` is called: a long round should wind down then, since `stop()` waits for it.
   */
  round: (signal: AbortSignal) => Promise<RoundResult>;
  /** The longest sleep between rounds: the poll that finds work no wake-up announced. */
  idleMs: number;
  /**
   * Wakes the loop on each NOTIFY on `channel`. Postgres delivers a notification only when its
   * transaction commits, so the round it wakes sees the rows, and a rollback wakes no one.
   */
  wakeOn?: { pool: Pool; channel: string };
  /** Between rounds that threw, growing with each failure in a row; one success resets it. */
  backoff?: Backoff;
}

export interface WorkerLoop {
  /** Ends the sleep at once, waits for the current round to finish, then stops listening. */
  stop(): Promise<void>;
  /** Ends the current sleep, or, while a round runs, skips the sleep after it. */
  nudge(): void;
}

const defaultBackoff: Backoff = { baseMs: 500, maxMs: 30_000 };

/**
 * A loop for background work: a round, then a sleep until the next round is worth running. Not
 * setInterval, so a slow round is never overlapped by the next one.
 */
export function startWorkerLoop(options: WorkerLoopOptions): WorkerLoop {
  const { name, logger, round, idleMs, wakeOn, backoff = defaultBackoff } = options;
  const stopping = new AbortController();
  let nudged = false;
  let wake: (() => void) | undefined;

  function nudge(): void {
    nudged = true;
    wake?.();
  }

  async function idle(ms: number): Promise<void> {
    // A stop that came during the round found no sleep to end; it must not start one either.
    if (nudged || ms <= 0 || stopping.signal.aborted) return;
    const woken = new AbortController();
    wake = () => woken.abort();
    await sleep(ms, woken.signal);
    wake = undefined;
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      // A nudge from before this round announced work the round will see; one during it may not.
      nudged = false;
      let result: RoundResult;
      try {
        result = await round(stopping.signal);
        failures = 0;
      } catch (error) {
        failures += 1;
        const retryInMs = Math.round(backoffDelay(failures, backoff));
        logger.error({ err: error, failures, retryInMs }, `${name} round failed; backing off`);
        // Not cut short by nudges: a failing dependency gets its rest however busy the writers.
        await sleep(retryInMs, stopping.signal);
        continue;
      }
      if (result === 'idle') await idle(idleMs);
      else if (result !== 'more') await idle(Math.min(result.idleMs, idleMs));
    }
  }

  const listener = wakeOn && listenForNotifications({ ...wakeOn, logger, onNotify: nudge });
  const running = run();
  let stopped: Promise<void> | undefined;
  return {
    nudge,
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        wake?.();
        await running;
        await listener?.close();
      })();
      return stopped;
    },
  };
}
