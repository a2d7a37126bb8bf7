import type { Request, RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export { Registry } from 'prom-client';

export interface RegistryOptions {
  service: string;
  /** Process metrics (CPU, memory, event loop lag, GC). */
  defaultMetrics?: boolean;
}

/**
 * A registry per app rather than prom-client's global one: tests build many apps in one process,
 * and a metric registered twice in one registry throws.
 */
export function createMetricsRegistry({
  service,
  defaultMetrics = true,
}: RegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}

const labelledRoutes = new WeakMap<Request, string>();

/**
 * Names the route pattern a request is counted under when no express route matched it (the
 * gateway proxies by its own route table).
 */
export function labelRoute(req: Request, pattern: string): void {
  labelledRoutes.set(req, pattern);
}

/** The matched route pattern, never the raw URL: ids in paths would make every request a series. */
function routeLabel(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  if (!route || typeof route.path !== 'string') return labelledRoutes.get(req) ?? 'unmatched';
  return `${req.baseUrl}${route.path}` || '/';
}

export function httpMetricsMiddleware(registry: Registry): RequestHandler {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route pattern and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to finishing its response',
    labelNames,
    registers: [registry],
  });
  return (req, res, next) => {
    const stopTimer = duration.startTimer();
    res.once('finish', () => {
      const labels = { method: req.method, route: routeLabel(req), status: String(res.statusCode) };
      requests.inc(labels);
      stopTimer(labels);
    });
    next();
  };
}

export function metricsEndpoint(registry: Registry): RequestHandler {
  return async (_req, res) => {
    const body = await registry.metrics();
    res.type(registry.contentType).send(body);
  };
}

/** A gauge read when Prometheus scrapes, from state its owner already keeps. */
export function observedGauge(
  registry: Registry,
  { name, help, read }: { name: string; help: string; read: () => number },
): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** A counter its owner increments; `inc` is all it needs to know of prom-client. */
export function counter(
  registry: Registry,
  { name, help }: { name: string; help: string },
): { inc(by?: number): void } {
  const metric = new Counter({ name, help, registers: [registry] });
  return { inc: (by = 1) => metric.inc(by) };
}
