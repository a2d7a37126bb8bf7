import type { JwtVerifier } from '@shop/auth';
import type { Pool } from '@shop/postgres';
import { createApp, postgresCheck, type Logger } from '@shop/service-kit';
import type { Express } from 'express';
import { notificationRoutes } from './http/notification-routes';

export interface AppDeps {
  service: string;
  logger: Logger;
  pool: Pool;
  verifier: JwtVerifier;
}

export function buildApp({ service, logger, pool, verifier }: AppDeps): Express {
  return createApp({
    service,
    logger,
    readiness: { postgres: postgresCheck(pool) },
    routes: (app) => app.use(notificationRoutes(pool, verifier)),
  });
}
