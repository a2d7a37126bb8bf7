import type { Server } from 'node:http';
import path from 'node:path';
import { createJwtVerifier } from '@shop/auth';
import { topics } from '@shop/contracts';
import {
  createKafka,
  createProducer,
  messagingMigrationsDir,
  startConsumer,
  startOutboxRelay,
  type Backoff,
} from '@shop/messaging';
import { createPool, runMigrations } from '@shop/postgres';
import { BreakerRegistry, createHttpClient } from '@shop/resilience';
import { createLogger, startServer, type Logger } from '@shop/service-kit';
import { buildApp } from './app';
import type { Config } from './config';
import { startSagaTimer } from './domain/saga-timer';
import { orderHandlers } from './messaging/handlers';

export const migrationsDir = path.join(__dirname, '..', 'migrations');

export interface ServiceOptions {
  logger?: Logger;
  /** Tuning for tests: a short session makes a stopped instance leave its group quickly. */
  consumer?: {
    sessionTimeoutMs?: number;
    heartbeatIntervalMs?: number;
    maxAttempts?: number;
    backoff?: Backoff;
  };
}

export interface RunningService {
  url: string;
  port: number;
  /** For the graceful shutdown to drain before stop() runs. */
  server: Server;
  logger: Logger;
  /** Stops in dependency order: HTTP, consumer, saga timer, relay, producer, breakers, pool. */
  stop(): Promise<void>;
}

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
    max: config.DATABASE_POOL_SIZE,
    applicationName: config.SERVICE_NAME,
    statementTimeoutMs: 10_000,
    onError: (error) => logger.warn({ err: error }, 'idle postgres connection failed'),
  });
  const settings = { stepTimeoutMs: config.STEP_TIMEOUT, sagaTimeoutMs: config.SAGA_TIMEOUT };
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
  const consumer = await startConsumer({
    kafka,
    pool,
    logger,
    groupId: config.KAFKA_CONSUMER_GROUP,
    consumerName: config.SERVICE_NAME,
    topics: [topics.inventoryEvents, topics.paymentEvents],
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    handlers: orderHandlers({ settings, logger }),
    ...options.consumer,
  });
  const timer = startSagaTimer({
    pool,
    settings,
    tickMs: config.SAGA_TICK,
    keyRetentionMs: config.IDEMPOTENCY_KEY_RETENTION,
    logger,
  });
  const breakers = new BreakerRegistry();
  const cart = createHttpClient({
    name: 'cart',
    baseUrl: config.CART_URL,
    timeoutMs: config.CART_TIMEOUT,
    registry: breakers,
  });
  const catalog = createHttpClient({
    name: 'catalog',
    baseUrl: config.CATALOG_URL,
    timeoutMs: config.CATALOG_TIMEOUT,
    registry: breakers,
  });
  const verifier = createJwtVerifier({
    jwksUrl: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  const app = buildApp({
    service: config.SERVICE_NAME,
    logger,
    pool,
    verifier,
    cart,
    catalog,
    settings,
  });
  const server = await startServer(app, { port: config.PORT, host: config.HOST });
  logger.info({ url: server.url }, 'order started');

  return {
    url: server.url,
    port: server.port,
    server: server.server,
    logger,
    async stop() {
      if (server.server.listening) await server.close();
      await consumer.stop();
      await timer.stop();
      await relay.stop();
      await producer.disconnect();
      breakers.shutdown();
      await pool.end();
    },
  };
}
