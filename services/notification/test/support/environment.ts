import { randomUUID } from 'node:crypto';
import { startTestIssuer, type TestIssuer } from '@shop/auth/testing';
import { startSmtpCatcher, type SmtpCatcher } from '@shop/infra/smtp-catcher';
import { kafkaTestKit } from '@shop/messaging/testing';
import { createPool, type Pool } from '@shop/postgres';
import { createScratchDatabase, type ScratchDatabase } from '@shop/postgres/testing';
import { createLogger } from '@shop/service-kit';
import { uniqueName } from '@shop/testkit';
import { configSchema } from '../../src/config';
import { startService, type RunningService } from '../../src/service';

export const logger = createLogger({
  service: 'notification-test',
  level: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
});

/** This test file's topic namespace, where the test plays identity and order. */
export const kafka = kafkaTestKit({ clientId: 'notification-test', logger });

export const sendRetries = 3;

export interface NotificationUnderTest {
  url: string;
  catcher: SmtpCatcher;
  issuer: TestIssuer;
  /** The service's scratch database, for what the API does not show (PENDING rows). */
  db: Pool;
  /** A fresh user id with a token for it and a mailbox nobody else uses. */
  newUser(): Promise<{ userId: string; email: string; name: string; token: string }>;
  close(): Promise<void>;
}

/**
 * One notification service per test file: scratch database, fresh group, SMTP catcher, port 0,
 * and the file's own topic namespace.
 */
export async function startNotification(): Promise<NotificationUnderTest> {
  const adminUrl = process.env.POSTGRES_ADMIN_URL;
  if (!adminUrl) throw new Error('POSTGRES_ADMIN_URL is not set: is the infrastructure up?');
  await kafka.ready();
  const database: ScratchDatabase = await createScratchDatabase(adminUrl);
  const catcher = await startSmtpCatcher();
  const issuer = await startTestIssuer();
  const config = configSchema.parse({
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafka.brokers,
    KAFKA_CONSUMER_GROUP: uniqueName('notification-test'),
    KAFKA_TOPIC_PREFIX: kafka.prefix,
    JWKS_URL: issuer.jwksUrl,
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    SMTP_HOST: catcher.host,
    SMTP_PORT: String(catcher.port),
    SMTP_FROM: 'shop <no-reply@shop.test>',
    SEND_RETRIES: String(sendRetries),
    SEND_RETRY_BASE: '100ms',
    SEND_RETRY_MAX: '1s',
    LOG_LEVEL: 'silent',
  });
  const service: RunningService = await startService(config, {
    logger,
    port: 0,
    consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, maxAttempts: 3 },
  });
  const db = createPool({
    connectionString: database.url,
    max: 2,
    applicationName: 'notification-test',
  });
  return {
    url: service.url,
    catcher,
    issuer,
    db,
    async newUser() {
      const userId = randomUUID();
      return {
        userId,
        email: `user-${userId.slice(0, 8)}@example.test`,
        name: `Ada ${userId.slice(0, 4)}`,
        token: await issuer.tokenFor('customer', userId),
      };
    },
    async close() {
      await service.stop();
      await db.end();
      await catcher.close();
      await issuer.close();
      await database.drop();
      await kafka.drop();
    },
  };
}
