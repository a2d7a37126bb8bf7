import type { OrderReconciliation } from '@shop/contracts';

/** Order counts read from one reconciliation summary. */
export interface SagaCounts {
  /** The summary's asOf, in ms. */
  at: number;
  total: number;
  confirmed: number;
  cancelled: number;
  inFlight: number;
}

export interface SagaRatePoint {
  at: number;
  startedPerSecond: number;
  confirmedPerSecond: number;
  cancelledPerSecond: number;
  inFlight: number;
}

/** How far back the console keeps counts (a little more than the sparklines show). */
export const windowMs = 60_000;

export function countsOf(summary: OrderReconciliation): SagaCounts {
  const byStatus = summary.ordersByStatus;
  const total = Object.values(byStatus).reduce<number>((sum, count) => sum + (count ?? 0), 0);
  return {
    at: Date.parse(summary.asOf),
    total,
    confirmed: byStatus.CONFIRMED ?? 0,
    cancelled: byStatus.CANCELLED ?? 0,
    inFlight: summary.inFlightOrders,
  };
}

/** Adds a summary's counts to the history, dropping repeats and what is older than the window. */
export function withCounts(history: SagaCounts[], next: SagaCounts): SagaCounts[] {
  const last = history[history.length - 1];
  if (Number.isNaN(next.at) || (last && next.at <= last.at)) return history;
  return [...history, next].filter((counts) => counts.at >= next.at - windowMs - 5_000);
}

/**
 * Rates between successive summaries. Started = growth of the number of orders; confirmed and
 * cancelled = growth of those statuses (never negative: a customer cancel moves a CONFIRMED
 * order to CANCELLED).
 */
export function ratesOf(history: SagaCounts[]): SagaRatePoint[] {
  const points: SagaRatePoint[] = [];
  for (let index = 1; index < history.length; index += 1) {
    const before = history[index - 1];
    const after = history[index];
    if (!before || !after) continue;
    const seconds = (after.at - before.at) / 1000;
    if (seconds <= 0) continue;
    const rate = (from: number, to: number) => Math.max(0, to - from) / seconds;
    points.push({
      at: after.at,
      startedPerSecond: rate(before.total, after.total),
      confirmedPerSecond: rate(before.confirmed, after.confirmed),
      cancelledPerSecond: rate(before.cancelled, after.cancelled),
      inFlight: after.inFlight,
    });
  }
  return points;
}
