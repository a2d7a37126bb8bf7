import type { CreateProductInput } from '@shop/contracts';
import { kafkaTestKit } from '@shop/messaging/testing';
import { createPool, type Pool } from '@shop/postgres';
import { createScratchDatabase, type ScratchDatabase } from '@shop/postgres/testing';
import { createLogger } from '@shop/service-kit';
import { uniqueName } from '@shop/testkit';
import { configSchema, type Config } from '../../src/config';
import { startService, type RunningService } from '../../src/service';

export const logger = createLogger({
  service: 'catalog-test',
  level: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
});

/** This test file's topic namespace (jest gives each test file its own modules). */
export const kafka = kafkaTestKit({ clientId: 'catalog-test', logger });

export interface TestIssuerSettings {
  jwksUrl: string;
  issuer: string;
  audience: string;
}

export interface CatalogUnderTest {
  url: string;
  config: Config;
  /** The service's scratch database, for assertions the API cannot make (outbox, inbox). */
  db: Pool;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One catalog per test file: a scratch database, a fresh consumer group, port 0, and the file's
 * own topic namespace (dropped by `close()`).
 */
export async function startCatalog(
  issuer: TestIssuerSettings,
  {
    demoData = false,
    demoProducts,
  }: { demoData?: boolean; demoProducts?: CreateProductInput[] } = {},
): Promise<CatalogUnderTest> {
  const adminUrl = process.env.POSTGRES_ADMIN_URL;
  if (!adminUrl) throw new Error('POSTGRES_ADMIN_URL is not set: is the infrastructure up?');
  const database: ScratchDatabase = await createScratchDatabase(adminUrl);
  await kafka.ready();
  const config = configSchema.parse({
    SERVICE_NAME: 'catalog',
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafka.brokers,
    KAFKA_CONSUMER_GROUP: uniqueName('catalog-test'),
    KAFKA_TOPIC_PREFIX: kafka.prefix,
    JWKS_URL: issuer.jwksUrl,
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    DEMO_DATA: String(demoData),
    LOG_LEVEL: 'silent',
  });
  const start = () =>
    startService(config, {
      logger,
      port: 0,
      ...(demoProducts ? { demoProducts } : {}),
      consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, maxAttempts: 2 },
    });
  let service: RunningService = await start();
  const db = createPool({
    connectionString: database.url,
    max: 2,
    applicationName: 'catalog-test',
  });
  const handle: CatalogUnderTest = {
    get url() {
      return service.url;
    },
    config,
    db,
    async restart() {
      await service.stop();
      service = await start();
    },
    async close() {
      await service.stop();
      await db.end();
      await database.drop();
      await kafka.drop();
    },
  };
  return handle;
}
