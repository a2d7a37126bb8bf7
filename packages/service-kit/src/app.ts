import express, { type Express } from 'express';
import helmet from 'helmet';
import { accessLogMiddleware } from './access-log';
import { healthRouter, type ReadinessCheck } from './health';
import { jsonBody } from './json-body';
import type { Logger } from './logger';
import {
  createMetricsRegistry,
  httpMetricsMiddleware,
  metricsEndpoint,
  type Registry,
} from './metrics';
import { notFoundMiddleware, problemMiddleware } from './problem';
import { requestContextMiddleware } from './request-context';

export interface AppOptions {
  service: string;
  logger: Logger;
  /** A fresh registry per app when omitted. */
  registry?: Registry;
  readiness?: Record<string, ReadinessCheck>;
  /** Per readiness check. */
  checkTimeoutMs?: number;
  routes: (app: Express) => void;
  bodyLimit?: string | number;
  /** Express's `trust proxy` setting, for req.ip behind the gateway or an ingress. */
  trustProxy?: boolean | number | string | string[];
}

/**
 * Builds, never listens. The order matters: the request context comes first so every later
 * line and response carries its id, operational endpoints come before body parsing so a probe
 * never trips over it, and the 404 and error handlers come last.
 */
export function createApp({
  service,
  logger,
  registry = createMetricsRegistry({ service }),
  readiness = {},
  checkTimeoutMs,
  routes,
  bodyLimit = '64kb',
  trustProxy,
}: AppOptions): Express {
  const app = express();
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy);

  app.use(requestContextMiddleware());
  app.use(accessLogMiddleware(logger));
  app.use(httpMetricsMiddleware(registry));
  app.use(helmet());

  app.get('/metrics', metricsEndpoint(registry));
  app.use(healthRouter({ readiness, checkTimeoutMs }));

  app.use(jsonBody(bodyLimit));
  routes(app);

  app.use(notFoundMiddleware());
  app.use(problemMiddleware(logger));
  return app;
}
