import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createJwtVerifier, createTokenSigner, publicJwks } from '@shop/auth';
import { jwksSchema } from '@shop/contracts';
import { defineService, type HostOptions } from '@shop/service-host';
import { demoUsers, type Config } from './config';
import { seedDemoUsers } from './domain/demo-users';
import { authRoutes } from './http/auth-routes';
import { hashPassword } from './domain/passwords';

const migrationsDir = path.join(__dirname, '..', 'migrations');

/** Customers and admins: registration, login, tokens signed with the key only it holds. */
export const startService = defineService<Config, HostOptions>(async (host) => {
  const { config, logger } = host;
  const pool = await host.postgres(migrationsDir);
  // Identity consumes nothing: it only publishes UserRegistered through its outbox.
  await host.outbox(pool);
  if (config.DEMO_DATA) await seedDemoUsers(pool, demoUsers(config), logger);

  const claims = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE };
  const jwks = jwksSchema.parse(publicJwks(config.JWT_PRIVATE_JWK));
  const identity = {
    pool,
    signer: createTokenSigner({
      ...claims,
      privateJwk: config.JWT_PRIVATE_JWK,
      ttlSeconds: config.JWT_TTL,
    }),
    throttle: { maxFailures: config.LOGIN_MAX_FAILURES, windowMs: config.LOGIN_FAILURE_WINDOW },
    dummyHash: await hashPassword(randomBytes(32).toString('base64url')),
  };
  // The verifier every service uses, fed the local keys: /me never calls identity over HTTP.
  return host.app(authRoutes(identity, createJwtVerifier({ ...claims, jwks }), jwks));
});

export type { RunningService } from '@shop/service-host';
