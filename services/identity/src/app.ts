import type { JwtVerifier } from '@shop/auth';
import type { Jwks } from '@shop/contracts';
import { createApp, postgresCheck, type Logger } from '@shop/service-kit';
import type { Express } from 'express';
import type { IdentityDeps } from './domain/identity-deps';
import { authRoutes } from './http/auth-routes';

export interface AppDeps extends IdentityDeps {
  service: string;
  logger: Logger;
  verifier: JwtVerifier;
  jwks: Jwks;
}

export function buildApp({ service, logger, verifier, jwks, ...identity }: AppDeps): Express {
  return createApp({
    service,
    logger,
    readiness: { postgres: postgresCheck(identity.pool) },
    routes: (app) => app.use(authRoutes(identity, verifier, jwks)),
  });
}
