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
} from '@shop/messaging';
import { createPool, runMigrations } from '@shop/postgres';
import { createLogger, startServer, type Logger } from '@shop/service-kit';
import { buildApp } from './app';
import type { Config } from './config';
import { startSender } from './domain/sender';
import { createSmtpMailer } from './mail/smtp-mailer';
import { notificationHandlers } from './messaging/handlers';

export interface ServiceOptions {
  logger?: Logger;
  /** Overrides PORT, e.g. 0 in tests. */
  port?: number;
  /** Consumer tuning; tests shorten these so a group settles fast. */
  consumer?: { sessionTimeoutMs?: number; heartbeatIntervalMs?: number; maxAttempts?: number };
}

export interface RunningService {
  url: string;
  port: number;
  /** For the graceful shutdown to drain before `stop()`. */
  server: Server;
  /** Closes the server (unless already drained), then the consumer, sender, relay, producer and pool. */
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
  // Notification emits nothing today; the producer serves the consumer's dead letters and a relay
  // keeps the outbox drained should a handler ever enqueue.
  const producer = createProducer(kafka);
  await producer.connect();
  const relay = startOutboxRelay({
    pool,
    producer,
    logger,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
  });

  const mailer = createSmtpMailer({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    from: config.SMTP_FROM,
  });
  const sender = startSender({
    pool,
    mailer,
    logger,
    from: config.SMTP_FROM,
    retries: config.SEND_RETRIES,
    backoff: { baseMs: config.SEND_RETRY_BASE, maxMs: config.SEND_RETRY_MAX },
    pollIntervalMs: config.SEND_POLL_INTERVAL,
  });

  const consumer = await startConsumer({
    kafka,
    pool,
    logger,
    groupId: config.KAFKA_CONSUMER_GROUP,
    consumerName: config.SERVICE_NAME,
    topics: [topics.identityEvents, topics.orderEvents],
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    handlers: notificationHandlers(),
    ...options.consumer,
  });

  const verifier = createJwtVerifier({
    jwksUrl: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  const app = buildApp({ service: config.SERVICE_NAME, logger, pool, verifier });
  const server = await startServer(app, { port: options.port ?? config.PORT, host: config.HOST });
  logger.info({ url: server.url }, 'notification listening');

  return {
    url: server.url,
    port: server.port,
    server: server.server,
    async stop() {
      if (server.server.listening) await server.close();
      await consumer.stop();
      await sender.stop();
      mailer.close();
      await relay.stop();
      await producer.disconnect();
      await pool.end();
    },
  };
}
