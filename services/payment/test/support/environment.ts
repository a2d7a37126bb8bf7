import { startTestIssuer, type TestIssuer } from '@shop/auth/testing';
import { kafkaTestKit, type KafkaTestKit } from '@shop/messaging/testing';
import { createPool, type Pool } from '@shop/postgres';
import { createScratchDatabase, type ScratchDatabase } from '@shop/postgres/testing';
import { createLogger } from '@shop/service-kit';
import { uniqueName } from '@shop/testkit';
import { readConfig, type Config } from '../../src/config';
import { startService, type RunningService } from '../../src/service';

export const logger = createLogger({
  service: 'payment-test',
  level: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
});

/** This test file's topic namespace, where the test plays the order service. */
export const kafka = kafkaTestKit({ clientId: 'payment-test', logger });

export interface PaymentUnderTest {
  url: string;
  config: Config;
  /** The topic namespace the service consumes and publishes in. */
  topicPrefix: string;
  issuer: TestIssuer;
  /** The service's scratch database, for assertions the API cannot make (rows, inbox). */
  db: Pool;
  close(): Promise<void>;
}

/**
 * One payment service per test file: a scratch database, a fresh consumer group, port 0, and the
 * file's own topic namespace (another one only to show that namespaces are isolated).
 */
export async function startPayment(
  processorSettings: Record<string, string> = {},
  { namespace = kafka }: { namespace?: KafkaTestKit } = {},
): Promise<PaymentUnderTest> {
  const adminUrl = process.env.POSTGRES_ADMIN_URL;
  if (!adminUrl) throw new Error('POSTGRES_ADMIN_URL is not set: is the infrastructure up?');
  await namespace.ready();
  const database: ScratchDatabase = await createScratchDatabase(adminUrl);
  const issuer = await startTestIssuer();
  const config = readConfig({
    DATABASE_URL: database.url,
    KAFKA_BROKERS: namespace.brokers,
    KAFKA_CONSUMER_GROUP: uniqueName('payment-test'),
    KAFKA_TOPIC_PREFIX: namespace.prefix,
    JWKS_URL: issuer.jwksUrl,
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    LOG_LEVEL: 'silent',
    // Short delays: the tests of a failing processor wait for every retry.
    PROCESSOR_RETRIES: '3',
    PROCESSOR_RETRY_BASE: '10ms',
    PROCESSOR_RETRY_MAX: '50ms',
    ...processorSettings,
  });
  const service: RunningService = await startService(config, {
    logger,
    port: 0,
    consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, maxAttempts: 2 },
  });
  const db = createPool({
    connectionString: database.url,
    max: 2,
    applicationName: 'payment-test',
  });
  return {
    url: service.url,
    config,
    topicPrefix: namespace.prefix,
    issuer,
    db,
    async close() {
      await service.stop();
      await db.end();
      await issuer.close();
      await database.drop();
      await namespace.drop();
    },
  };
}
