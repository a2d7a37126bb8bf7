/**
 * How long a checkout refused at the gateway is told to wait: long enough that the refused
 * shoppers' retries come back about as fast as checkouts get in, not faster.
 *
 * N shoppers waiting, each retrying every R seconds, send N / R retries a second; the shop lets
 * μ checkouts a second in. Retries faster than μ are refused again and cost a request each for
 * nothing (at 4× capacity they were most of the gateway's work), so the wanted R is N / μ. N is
 * not seen directly, but the refusals are: after each second R is multiplied by that second's
 * ratio of refusals to admissions (at most doubling, at most halving), so it settles where the
 * retries come about as fast as the admissions, and it halves each second that refuses nothing. The result never goes below what the order service
 * said nor above `maxSeconds`.
 *
 * Nothing orders the waiting shoppers: a new arrival may get in before one who was told to wait.
 */
export interface RetryPacer {
  admitted(at: number): void;
  refused(at: number): void;
  /** Whole seconds, as Retry-After counts them. */
  retryAfterSeconds(at: number): number;
}

export interface RetryPacerOptions {
  maxSeconds?: number;
}

/** A figure is caught up over at most this many ended seconds; older counts are dropped. */
const catchUpSeconds = 11;
const secondOf = (at: number) => Math.floor(at / 1000);

export function retryPacer({ maxSeconds = 30 }: RetryPacerOptions = {}): RetryPacer {
  /** Admissions and refusals per second, kept as long as a catch-up may still read them. */
  const counts = new Map<number, { admitted: number; refused: number }>();
  let seconds = 1;
  /** The last second whose counts have been taken into account. */
  let settledUntil: number | undefined;

  function countsOf(second: number) {
    let entry = counts.get(second);
    if (!entry) {
      entry = { admitted: 0, refused: 0 };
      counts.set(second, entry);
      for (const old of counts.keys()) if (old < second - catchUpSeconds) counts.delete(old);
    }
    return entry;
  }

  /** Each second that has ended since the last look moves the figure once, by its own counts. */
  function settle(at: number): void {
    const current = secondOf(at);
    settledUntil ??= current - 1;
    // Past that many quiet seconds the figure is back at its floor anyway.
    settledUntil = Math.max(settledUntil, current - catchUpSeconds);
    for (let second = settledUntil + 1; second < current; second += 1) {
      const { admitted, refused } = counts.get(second) ?? { admitted: 0, refused: 0 };
      const wanted = refused === 0 ? seconds / 2 : (seconds * refused) / Math.max(admitted, 1);
      seconds = Math.min(maxSeconds, Math.max(1, seconds / 2, Math.min(seconds * 2, wanted)));
      settledUntil = second;
    }
  }

  return {
    admitted(at) {
      countsOf(secondOf(at)).admitted += 1;
    },
    refused(at) {
      countsOf(secondOf(at)).refused += 1;
    },
    retryAfterSeconds(at) {
      settle(at);
      return Math.ceil(seconds);
    },
  };
}
