import { generateSigningKey, type PrivateSigningJwk } from '@shop/auth';
import { kafkaTestKit } from '@shop/messaging/testing';
import { createPool, type Pool } from '@shop/postgres';
import { createScratchDatabase, type ScratchDatabase } from '@shop/postgres/testing';
import { createLogger } from '@shop/service-kit';
import { readConfig, type Config } from '../../src/config';
import { startService, type RunningService } from '../../src/service';

export const logger = createLogger({
  service: 'identity-test',
  level: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
});

/** This test file's topic namespace (jest gives each test file its own modules). */
export const kafka = kafkaTestKit({ clientId: 'identity-test', logger });

export interface IdentityUnderTest {
  url: string;
  config: Config;
  signingKey: PrivateSigningJwk;
  /** The service's scratch database, for what the API cannot show (hashes, the outbox). */
  db: Pool;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One identity per test file: a scratch database, a fresh signing key, port 0, and the file's own
 * topic namespace.
 */
export async function startIdentity(env: Record<string, string> = {}): Promise<IdentityUnderTest> {
  const adminUrl = process.env.POSTGRES_ADMIN_URL;
  if (!adminUrl) throw new Error('POSTGRES_ADMIN_URL is not set: is the infrastructure up?');
  await kafka.ready();
  const database: ScratchDatabase = await createScratchDatabase(adminUrl);
  const signingKey = await generateSigningKey();
  const config = readConfig({
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafka.brokers,
    KAFKA_TOPIC_PREFIX: kafka.prefix,
    JWT_PRIVATE_JWK: JSON.stringify(signingKey),
    JWT_ISSUER: 'shop-identity-test',
    JWT_AUDIENCE: 'shop-test',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const start = () => startService(config, { logger, port: 0 });
  let service: RunningService = await start();
  const db = createPool({
    connectionString: database.url,
    max: 2,
    applicationName: 'identity-test',
  });
  return {
    get url() {
      return service.url;
    },
    config,
    signingKey,
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
}
