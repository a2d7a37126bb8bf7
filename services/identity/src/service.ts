import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import path from 'node:path';
import { createJwtVerifier, createTokenSigner, publicJwks } from '@shop/auth';
import { jwksSchema } from '@shop/contracts';
import {
  createKafka,
  createProducer,
  messagingMigrationsDir,
  startOutboxRelay,
} from '@shop/messaging';
import { createPool, runMigrations } from '@shop/postgres';
import { createLogger, startServer, type Logger } from '@shop/service-kit';
import { buildApp } from './app';
import type { Config } from './config';
import { seedDemoUsers, type DemoUser } from './domain/demo-users';
import type { IdentityDeps } from './domain/identity-deps';
import { hashPassword } from './domain/passwords';

export interface ServiceOptions {
  logger?: Logger;
  /** Overrides PORT, e.g. 0 in tests. */
  port?: number;
}

export interface RunningService {
  url: string;
  port: number;
  /** For the graceful shutdown to drain before `stop()`. */
  server: Server;
  /** Closes the server (unless already drained), then the relay, producer and pool. */
  stop(): Promise<void>;
}

const migrationsDir = path.join(__dirname, '..', 'migrations');

export async function startService(
  config: Config,
  options: ServiceOptions = {},
): Promise<RunningService> {
  const logger =
    options.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });

  await runMigrations({
    databaseUrl: config.DATABASE_URL,
    dirs: [migrationsDir, messagingMigrationsDir],
    logger,
  });
  const pool = createPool({
    connectionString: config.DATABASE_URL,
    max: 10,
    applicationName: config.SERVICE_NAME,
    statementTimeoutMs: 5_000,
  });

  // Identity consumes nothing: it only publishes UserRegistered through its outbox.
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.SERVICE_NAME,
    logger,
  });
  const producer = createProducer(kafka);
  await producer.connect();
  const relay = startOutboxRelay({
    pool,
    producer,
    logger,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
  });

  if (config.DEMO_DATA) await seedDemoUsers(pool, demoUsers(config), logger);

  const signingOptions = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE };
  const jwks = jwksSchema.parse(publicJwks(config.JWT_PRIVATE_JWK));
  const deps: IdentityDeps = {
    pool,
    signer: createTokenSigner({
      ...signingOptions,
      privateJwk: config.JWT_PRIVATE_JWK,
      ttlSeconds: config.JWT_TTL,
    }),
    throttle: { maxFailures: config.LOGIN_MAX_FAILURES, windowMs: config.LOGIN_FAILURE_WINDOW },
    dummyHash: await hashPassword(randomBytes(32).toString('base64url')),
  };
  // The verifier every service uses, fed the local keys: /me never calls identity over HTTP.
  const verifier = createJwtVerifier({ ...signingOptions, jwks });
  const app = buildApp({ service: config.SERVICE_NAME, logger, verifier, jwks, ...deps });
  const server = await startServer(app, { port: options.port ?? config.PORT, host: config.HOST });
  logger.info({ url: server.url }, 'identity listening');

  return {
    url: server.url,
    port: server.port,
    server: server.server,
    async stop() {
      if (server.server.listening) await server.close();
      await relay.stop();
      await producer.disconnect();
      await pool.end();
    },
  };
}

/** Only called with DEMO_DATA=true, when the config schema has made every demo variable required. */
function demoUsers(config: Config): DemoUser[] {
  const required = (name: keyof Config): string => {
    const value = config[name];
    if (typeof value !== 'string') throw new Error(`${name} is required when DEMO_DATA=true`);
    return value;
  };
  return [
    {
      email: required('DEMO_CUSTOMER_EMAIL'),
      password: required('DEMO_CUSTOMER_PASSWORD'),
      name: 'Demo Customer',
      role: 'customer',
    },
    {
      email: required('DEMO_ADMIN_EMAIL'),
      password: required('DEMO_ADMIN_PASSWORD'),
      name: 'Demo Admin',
      role: 'admin',
    },
  ];
}
