import { percentile } from '../bench/report';
import { isTerminal, type Evidence } from './evidence';
import type { Exchange } from './gateway-client';
import { settleTimeMs, verdict, type Verdict } from './invariants';

/** When the burst of an open-load experiment ran, and what the system is known to do per second. */
export interface OverloadWindow {
  from: number;
  to: number;
  capacityPerSecond: number;
}

/** Issue 13's bar for the shop under 2× and 4× its capacity. */
export const overloadTargets = {
  goodputShare: 0.9,
  refusalP99Ms: 100,
  acceptedP99Ms: 1_000,
};

export function overloadHypothesis({
  capacityPerSecond,
}: Pick<OverloadWindow, 'capacityPerSecond'>): string[] {
  const { goodputShare, refusalP99Ms, acceptedP99Ms } = overloadTargets;
  return [
    'no order is cancelled with TIMEOUT: the excess is refused at the door, not left to time out in the shop’s own queues',
    'every refused checkout is a 503 or 429 that says when to retry (Retry-After)',
    `target: during the burst the shop completes ≥ ${goodputShare * 100} % of its capacity (${(goodputShare * capacityPerSecond).toFixed(1)} checkouts/s ending CONFIRMED, or CANCELLED as declined or out of stock)`,
    `target: a refused checkout is answered within ${refusalP99Ms} ms (p99)`,
    `target: an accepted checkout ends within ${acceptedP99Ms / 1000} s (p99 from 202 to CONFIRMED or CANCELLED)`,
  ];
}

const refused = (exchange: Exchange) =>
  exchange.operation === 'place-order' && (exchange.status === 503 || exchange.status === 429);

const within = (at: number, { from, to }: OverloadWindow) => at >= from && at < to;

/** The verdicts an overload adds to the invariants: two invariants, three targets. */
export function overloadVerdicts(
  evidence: Evidence,
  exchanges: readonly Exchange[],
  window: OverloadWindow,
): Verdict[] {
  const { goodputShare, refusalP99Ms, acceptedP99Ms } = overloadTargets;
  const timedOut = evidence.orders.filter((order) => order.failureReason === 'TIMEOUT');
  const refusals = exchanges.filter(refused);
  const unexplained = refusals.filter((exchange) => !(Number(exchange.retryAfterSeconds) > 0));

  const seconds = (window.to - window.from) / 1000;
  // Sagas that ran to a business outcome: confirmed, or cancelled because the card was declined
  // or the stock ran out (the shoppers' choices, not the shop's failures). A timeout is not one.
  const completedInBurst = evidence.orders.filter(
    (order) =>
      order.failureReason !== 'TIMEOUT' &&
      order.history.some(
        (entry) => isTerminal(entry.status) && within(Date.parse(entry.at), window),
      ),
  ).length;
  const goodput = completedInBurst / seconds;
  const burstRefusals = refusals.filter((exchange) => within(exchange.at, window));
  const refusalP99 = burstRefusals.length
    ? percentile(
        burstRefusals.map((e) => e.ms),
        99,
      )
    : 0;
  const accepted = evidence.orders
    .filter((order) => within(Date.parse(order.createdAt), window))
    .map(settleTimeMs)
    .filter((ms): ms is number => ms !== undefined);
  const acceptedP99 = accepted.length ? percentile(accepted, 99) : 0;

  return [
    verdict(
      'no order cancelled with TIMEOUT',
      timedOut.map((order) => `order ${order.id} CANCELLED(TIMEOUT)`),
      `${timedOut.length} of ${evidence.orders.length} orders`,
    ),
    verdict(
      'every refused checkout says when to retry',
      unexplained.map((e) => `a ${e.status} to a checkout without Retry-After`),
      `${refusals.length} checkouts refused, ${refusals.length - unexplained.length} with Retry-After`,
    ),
    {
      ...verdict(
        `goodput during the burst ≥ ${goodputShare * 100} % of capacity`,
        goodput >= goodputShare * window.capacityPerSecond
          ? []
          : [
              `${goodput.toFixed(1)} completed/s < ${(goodputShare * window.capacityPerSecond).toFixed(1)}`,
            ],
        `${completedInBurst} checkouts completed in ${seconds.toFixed(0)} s: ${goodput.toFixed(1)}/s, ` +
          `${Math.round((goodput / window.capacityPerSecond) * 100)} % of ${window.capacityPerSecond}/s`,
      ),
      target: true,
    },
    {
      ...verdict(
        `refused checkouts answered within ${refusalP99Ms} ms (p99)`,
        refusalP99 <= refusalP99Ms ? [] : [`p99 ${refusalP99} ms`],
        `${burstRefusals.length} refusals during the burst, p99 ${refusalP99} ms`,
      ),
      target: true,
    },
    {
      ...verdict(
        `accepted checkouts end within ${acceptedP99Ms / 1000} s (p99)`,
        acceptedP99 <= acceptedP99Ms ? [] : [`p99 ${(acceptedP99 / 1000).toFixed(2)} s`],
        `${accepted.length} orders placed during the burst, p50 ${accepted.length ? percentile(accepted, 50) : 0} ms, p99 ${acceptedP99} ms`,
      ),
      target: true,
    },
  ];
}
