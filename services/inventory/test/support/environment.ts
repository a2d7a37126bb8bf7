import { randomBytes } from 'node:crypto';
import { startTestIssuer, type TestIssuer } from '@shop/auth/testing';
import {
  createMessage,
  partitionKeyOf,
  type MessageOf,
  type MessageType,
  type PayloadOf,
} from '@shop/contracts';
import { messagingMigrationsDir } from '@shop/messaging';
import { kafkaTestKit } from '@shop/messaging/testing';
import { createPool, runMigrations, type Pool } from '@shop/postgres';
import { createScratchDatabase, type ScratchDatabase } from '@shop/postgres/testing';
import { createLogger } from '@shop/service-kit';
import { readConfig } from '../../src/config';
import { migrationsDir, startService, type RunningService } from '../../src/service';
import { uniqueName } from '@shop/testkit';

export const logger = createLogger({
  service: 'inventory-test',
  level: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
});

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is the infrastructure up?`);
  return value;
}

export { uniqueName };

/** This test file's topic namespace, where the test plays the catalog and the order saga. */
export const kafka = kafkaTestKit({ clientId: 'inventory-test', logger });

export function uniqueSku(): string {
  return `SKU-${randomBytes(5).toString('hex').toUpperCase()}`;
}

/** A scratch database with inventory's and the messaging tables, for tests of the use cases. */
export async function createMigratedDatabase(): Promise<{
  database: ScratchDatabase;
  pool: Pool;
  close(): Promise<void>;
}> {
  const database = await createScratchDatabase(required('POSTGRES_ADMIN_URL'));
  await runMigrations({
    databaseUrl: database.url,
    dirs: [migrationsDir, messagingMigrationsDir],
    logger,
  });
  const pool = createPool({
    connectionString: database.url,
    max: 20,
    applicationName: 'inventory-test',
  });
  return {
    database,
    pool,
    async close() {
      await pool.end();
      await database.drop();
    },
  };
}

export interface InventoryUnderTest {
  service: RunningService;
  issuer: TestIssuer;
  /** The service's database, to look at what it stored. */
  pool: Pool;
  close(): Promise<void>;
}

/**
 * The service in-process on port 0, with a scratch database, a fresh group, a test issuer and the
 * file's topic namespace (dropped by `close()`).
 */
export async function startInventory(
  env: Record<string, string> = {},
): Promise<InventoryUnderTest> {
  const database = await createScratchDatabase(required('POSTGRES_ADMIN_URL'));
  const issuer = await startTestIssuer();
  await kafka.ready();
  const config = readConfig({
    NODE_ENV: 'test',
    PORT: '1',
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafka.brokers,
    KAFKA_CONSUMER_GROUP: uniqueName('inventory-test'),
    KAFKA_TOPIC_PREFIX: kafka.prefix,
    JWKS_URL: issuer.jwksUrl,
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    ...env,
  });
  const service = await startService(
    { ...config, PORT: 0 },
    {
      logger,
      consumer: {
        sessionTimeoutMs: 10_000,
        heartbeatIntervalMs: 1_000,
        backoff: { baseMs: 100, maxMs: 500 },
      },
    },
  );
  const pool = createPool({
    connectionString: database.url,
    max: 2,
    applicationName: 'inventory-test',
  });
  return {
    service,
    issuer,
    pool,
    async close() {
      await service.stop();
      await pool.end();
      await issuer.close();
      await database.drop();
      await kafka.drop();
    },
  };
}

/** A message as the catalog or the order saga sends it, published in the file's namespace. */
export async function send<T extends MessageType>(
  type: T,
  payload: PayloadOf<T>,
  context: { id?: string } = {},
): Promise<MessageOf<T>> {
  const message = createMessage(type, payload, {
    source: 'inventory-test',
    correlationId: partitionKeyOf({ type, payload }),
    ...(context.id === undefined ? {} : { id: context.id }),
  });
  await kafka.publish(message);
  return message;
}
