import type { CheckoutAdmission, NewWorkGate } from '@shop/contracts';
import { percentile } from '../bench/report';
import { isFailure, type ExchangeLog, type GatewayClient } from './gateway-client';
import type { Timeline } from './timeline';

/** One second of what the shoppers saw, plus what the operations endpoints said at its end. */
export interface Sample {
  t: number;
  phase: string;
  requests: number;
  failures: number;
  byStatus: Record<string, number>;
  p50Ms: number | null;
  p99Ms: number | null;
  /** The order service's own count of unfinished sagas; null while it cannot be asked. */
  inFlightOrders: number | null;
  /** Orders the shoppers were told about (202) and have not yet seen end. */
  pendingSeenByShoppers: number;
  /** Gateway breaker per upstream, from /api/system/health; empty while the gateway is silent. */
  breakers: Record<string, string>;
  /** The order service's admission control (limit, sagas in flight, checkouts shed so far). */
  admission: CheckoutAdmission | null;
  /** The gateway's event-loop delay and the new work it refused for it so far. */
  eventLoop: NewWorkGate | null;
}

export interface ProbeOptions {
  /** A client that does not record: the probe's own calls are not user traffic. */
  client: GatewayClient;
  adminToken: string;
  exchanges: ExchangeLog;
  pendingSeenByShoppers: () => number;
  phase: () => string;
  timeline: Timeline;
}

export interface Probe {
  stop(): Promise<Sample[]>;
}

interface UpstreamView {
  name: string;
  status: string;
  breaker: string;
  detail?: string;
}

/**
 * Samples the user's view once a second: rate, failures by status and latency of the requests
 * the shoppers made in that second, the breakers the gateway reports, and how many orders are
 * still in flight. A change of an upstream's health or breaker goes on the timeline as it is seen.
 */
export function startProbe(options: ProbeOptions): Probe {
  const samples: Sample[] = [];
  const seen = new Map<string, string>();
  let running = true;

  async function sampleOnce(windowStart: number, windowEnd: number): Promise<void> {
    const [health, summary] = await Promise.all([
      options.client.request('probe', 'GET', '/api/system/health', { timeoutMs: 3_000 }),
      options.client.request('probe', 'GET', '/api/orders/reconciliation/summary', {
        token: options.adminToken,
        timeoutMs: 3_000,
      }),
    ]);
    const healthBody =
      health.status === 200
        ? (health.body as {
            upstreams?: UpstreamView[];
            checkoutAdmission?: CheckoutAdmission;
            newWorkGate?: NewWorkGate;
          })
        : {};
    const upstreams = healthBody.upstreams ?? [];
    for (const upstream of upstreams) {
      const view = `${upstream.status}, breaker ${upstream.breaker}`;
      const before = seen.get(upstream.name);
      if (before !== undefined && before !== view) {
        const why = upstream.detail ? ` (${upstream.detail})` : '';
        options.timeline.note(`gateway sees ${upstream.name}: ${before} → ${view}${why}`);
      }
      seen.set(upstream.name, view);
    }
    const exchanges = options.exchanges.between(windowStart, windowEnd);
    const byStatus: Record<string, number> = {};
    for (const exchange of exchanges) {
      const key = exchange.status === 0 ? 'none' : String(exchange.status);
      byStatus[key] = (byStatus[key] ?? 0) + 1;
    }
    const latencies = exchanges.map((exchange) => exchange.ms);
    samples.push({
      t: options.timeline.secondsAt(windowEnd),
      phase: options.phase(),
      requests: exchanges.length,
      failures: exchanges.filter((exchange) => isFailure(exchange.status)).length,
      byStatus,
      p50Ms: latencies.length ? percentile(latencies, 50) : null,
      p99Ms: latencies.length ? percentile(latencies, 99) : null,
      inFlightOrders:
        summary.status === 200 ? (summary.body as { inFlightOrders: number }).inFlightOrders : null,
      pendingSeenByShoppers: options.pendingSeenByShoppers(),
      breakers: Object.fromEntries(upstreams.map((u) => [u.name, u.breaker])),
      admission: healthBody.checkoutAdmission ?? null,
      eventLoop: healthBody.newWorkGate ?? null,
    });
  }

  const loop = (async () => {
    let windowStart = Date.now();
    while (running) {
      const next = windowStart + 1_000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
      await sampleOnce(windowStart, next);
      windowStart = next;
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}
