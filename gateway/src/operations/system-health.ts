import type { RequestHandler } from 'express';
import {
  checkoutAdmissionSchema,
  readinessSchema,
  type BreakerTransition,
  type CheckoutAdmission,
  type SystemHealth,
  type UpstreamHealth,
} from '@shop/contracts';
import type { BreakerRegistry } from '@shop/resilience';
import type { Upstream } from '../upstreams';
import type { LagReader } from './consumer-lag';

/** Why a probe failed, in words that name no host or address (they reach clients). */
function reasonOf(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  return code === 'ECONNREFUSED' ? 'connection refused' : 'unreachable';
}

async function probe(
  upstream: Upstream,
  breakers: BreakerRegistry,
  timeoutMs: number,
): Promise<UpstreamHealth> {
  const breaker = breakers.get(upstream.name)?.state() ?? 'closed';
  const transitions: BreakerTransition[] = breakers
    .transitions(upstream.name)
    .map(({ to, at }) => ({ to, at: at.toISOString() }));
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(new URL('/health/ready', upstream.url), {
      signal: AbortSignal.timeout(timeoutMs),
    });
    const latencyMs = latency();
    const checks = await readinessChecks(response);
    return response.ok
      ? { name: upstream.name, status: 'up', breaker, transitions, latencyMs, ...checks }
      : {
          name: upstream.name,
          status: 'down',
          breaker,
          transitions,
          latencyMs,
          detail: `not ready (HTTP ${response.status})`,
          ...checks,
        };
  } catch (error) {
    return {
      name: upstream.name,
      status: 'down',
      breaker,
      transitions,
      latencyMs: latency(),
      detail: reasonOf(error, timeoutMs),
    };
  }
}

/**
 * A service's readiness answer names its dependencies' checks (postgres, kafka, redis): the
 * console draws the infrastructure from them. Their details stay out: a driver's message may
 * name an internal host, and this answer is public.
 */
async function readinessChecks(response: Response): Promise<Pick<UpstreamHealth, 'checks'>> {
  try {
    const parsed = readinessSchema.safeParse(await response.json());
    if (!parsed.success) return {};
    return {
      checks: parsed.data.checks.map(({ name, status, latencyMs }) => ({
        name,
        status,
        ...(latencyMs === undefined ? {} : { latencyMs }),
      })),
    };
  } catch {
    return {};
  }
}

/** The order service's admission control, as it reports it; null when it cannot say. */
async function checkoutAdmission(
  upstreams: Upstream[],
  timeoutMs: number,
): Promise<CheckoutAdmission | null> {
  const order = upstreams.find((upstream) => upstream.name === 'order');
  if (!order) return null;
  try {
    const response = await fetch(new URL('/admission', order.url), {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    const parsed = checkoutAdmissionSchema.safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function overallStatus(upstreams: UpstreamHealth[]): SystemHealth['status'] {
  if (upstreams.every((upstream) => upstream.status === 'down')) return 'down';
  const healthy = upstreams.every(
    (upstream) => upstream.status === 'up' && upstream.breaker === 'closed',
  );
  return healthy ? 'up' : 'degraded';
}

/**
 * Asks every upstream's `/health/ready` at once and reads each breaker, while the consumer lag is
 * read beside them, and so is the order service's admission control (the slowest bounds the
 * answer); the gateway's own gates report how much they are shedding. Probes go around the breakers: they report
 * what is, and must not trip anything. Lag does not change `status`: a backlog is slow, not down.
 */
export function systemHealth(
  upstreams: Upstream[],
  breakers: BreakerRegistry,
  timeoutMs: number,
  readConsumerLag: LagReader,
  readGates: () => Pick<SystemHealth, 'checkoutGate' | 'newWorkGate'>,
): RequestHandler {
  return async (_req, res) => {
    const [results, consumerLag, admission] = await Promise.all([
      Promise.all(upstreams.map((upstream) => probe(upstream, breakers, timeoutMs))),
      readConsumerLag(),
      checkoutAdmission(upstreams, timeoutMs),
    ]);
    const body: SystemHealth = {
      status: overallStatus(results),
      checkedAt: new Date().toISOString(),
      upstreams: results,
      consumerLag,
      checkoutAdmission: admission,
      ...readGates(),
    };
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  };
}
