import type { Server } from 'node:http';
import path from 'node:path';
import { createJwtVerifier } from '@shop/auth';
import { topics, type CreateProductInput } from '@shop/contracts';
import {
  createKafka,
  createProducer,
  messagingMigrationsDir,
  startConsumer,
  startOutboxRelay,
} from '@shop/messaging';
import { createPool, runMigrations } from '@shop/postgres';
import {
  contextFromHeaders,
  createLogger,
  runWithContext,
  startServer,
  type Logger,
} from '@shop/service-kit';
import { buildApp } from './app';
import type { Config } from './config';
import { seedDemoProducts } from './domain/demo-data';
import { onStockLevelChanged } from './messaging/stock-levels';
import { demoProducts } from './seed/demo-products';

export interface ServiceOptions {
  logger?: Logger;
  /** Overrides PORT, e.g. 0 in tests. */
  port?: number;
  /** The demo catalog when DEMO_DATA=true; tests may load their own. */
  demoProducts?: readonly CreateProductInput[];
  /** Consumer tuning; tests shorten these so a group settles fast. */
  consumer?: { sessionTimeoutMs?: number; heartbeatIntervalMs?: number; maxAttempts?: number };
}

export interface RunningService {
  url: string;
  port: number;
  /** For the graceful shutdown to drain before `stop()`. */
  server: Server;
  /** Closes the server (unless already drained), then the consumer, relay, producer and pool. */
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
    consumerName: `${config.SERVICE_NAME}-stock-levels`,
    topics: [topics.inventoryEvents],
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    handlers: {
      StockLevelChanged: (message, tx, { traceparent }) =>
        runWithContext(contextFromHeaders({ traceparent }), () =>
          onStockLevelChanged(message, tx, logger),
        ),
    },
    ...options.consumer,
  });

  if (config.DEMO_DATA) {
    await seedDemoProducts({ pool }, options.demoProducts ?? demoProducts, logger);
  }

  const verifier = createJwtVerifier({
    jwksUrl: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  const app = buildApp({ service: config.SERVICE_NAME, logger, pool, verifier });
  const server = await startServer(app, { port: options.port ?? config.PORT, host: config.HOST });
  logger.info({ url: server.url }, 'catalog listening');

  return {
    url: server.url,
    port: server.port,
    server: server.server,
    async stop() {
      if (server.server.listening) await server.close();
      await consumer.stop();
      await relay.stop();
      await producer.disconnect();
      await pool.end();
    },
  };
}
