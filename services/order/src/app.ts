import type { JwtVerifier } from '@shop/auth';
import type { Pool } from '@shop/postgres';
import type { HttpClient } from '@shop/resilience';
import { createApp, postgresCheck, type Logger } from '@shop/service-kit';
import type { Express } from 'express';
import type { SagaSettings } from './domain/saga';
import { orderRoutes } from './http/order-routes';

export interface AppDeps {
  service: string;
  logger: Logger;
  pool: Pool;
  verifier: JwtVerifier;
  cart: HttpClient;
  catalog: HttpClient;
  settings: SagaSettings;
}

export function buildApp({ service, logger, pool, ...deps }: AppDeps): Express {
  return createApp({
    service,
    logger,
    readiness: { postgres: postgresCheck(pool) },
    routes: (app) => app.use(orderRoutes({ pool, ...deps })),
  });
}
