import type { Server } from 'node:http';
import path from 'node:path';
import { createJwtVerifier } from '@shop/auth';
import { topics, type Message } from '@shop/contracts';
import {
  createKafka,
  createProducer,
  messagingMigrationsDir,
  startConsumer,
  startOutboxRelay,
} from '@shop/messaging';
import { createPool, runMigrations } from '@shop/postgres';
import { createLogger, startServer, type Logger } from '@shop/service-kit';
import { buildApp } from './app';
import type { Config } from './config';
import type { CardProcessor } from './domain/card-processor';
import { simulatedCardProcessor } from './domain/simulated-processor';
import { paymentHandlers } from './messaging/handlers';
import { recordAfterInbox, type PaymentUnit } from './messaging/record-after';

export interface ServiceOptions {
  logger?: Logger;
  /** Overrides PORT, e.g. 0 in tests. */
  port?: number;
  /** Replaces the simulated processor built from the PROCESSOR_* settings. */
  processor?: CardProcessor;
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
    max: config.DATABASE_POOL_SIZE,
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

  const processor =
    options.processor ??
    simulatedCardProcessor({
      latencyMs: config.PROCESSOR_LATENCY,
      failureRate: config.PROCESSOR_FAILURE_RATE,
    });
  const consumer = await startConsumer<Message, PaymentUnit>({
    kafka,
    inbox: recordAfterInbox(pool),
    logger,
    groupId: config.KAFKA_CONSUMER_GROUP,
    consumerName: config.SERVICE_NAME,
    topics: [topics.paymentCommands],
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    handlers: paymentHandlers({
      processor,
      retryPolicy: {
        retries: config.PROCESSOR_RETRIES,
        baseDelayMs: config.PROCESSOR_RETRY_BASE,
        maxDelayMs: config.PROCESSOR_RETRY_MAX,
      },
      logger,
    }),
    ...options.consumer,
  });

  const verifier = createJwtVerifier({
    jwksUrl: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  const app = buildApp({ service: config.SERVICE_NAME, logger, pool, verifier });
  const server = await startServer(app, { port: options.port ?? config.PORT, host: config.HOST });
  logger.info({ url: server.url }, 'payment listening');

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
