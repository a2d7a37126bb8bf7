import { cartSchema, problemSchema, type Cart, type Problem } from '@shop/contracts';
import { startTestIssuer, type TestIssuer } from '@shop/auth/testing';
import { kafkaTestKit } from '@shop/messaging/testing';
import { createLogger } from '@shop/service-kit';
import { Redis } from 'ioredis';
import request from 'supertest';
import { configSchema, type Config } from '../../src/config';
import { startService, type RunningService } from '../../src/service';
import { startCatalogStub, type CatalogStub } from './catalog-stub';
import { uniqueName } from '@shop/testkit';

export const logger = createLogger({
  service: 'cart-test',
  level: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
});

export { uniqueName };

export function requiredEnv(name: 'REDIS_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is the infrastructure up?`);
  return value;
}

/** This test file's topic namespace (jest gives each test file its own modules). */
export const kafka = kafkaTestKit({ clientId: 'cart-test', logger });

export interface CartUnderTest {
  url: string;
  config: Config;
  catalog: CatalogStub;
  issuer: TestIssuer;
  /** A client of the same Redis, for what the API cannot show (time to live, raw keys). */
  redis: Redis;
  /** A token for a fresh customer (or the given id). */
  customer(sub?: string): Promise<string>;
  api(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * One cart service per test file: its own key prefix, consumer group and topic namespace, a
 * stubbed catalog and a test token issuer, on port 0.
 */
export async function startCart(env: Record<string, string> = {}): Promise<CartUnderTest> {
  const [issuer, catalog] = await Promise.all([
    startTestIssuer(),
    startCatalogStub(),
    kafka.ready(),
  ]);
  const config = configSchema.parse({
    SERVICE_NAME: 'cart',
    REDIS_URL: requiredEnv('REDIS_URL'),
    CART_KEY_PREFIX: `${uniqueName('cart-test')}:`,
    KAFKA_BROKERS: kafka.brokers,
    KAFKA_CONSUMER_GROUP: uniqueName('cart-test'),
    KAFKA_TOPIC_PREFIX: kafka.prefix,
    CATALOG_URL: catalog.url,
    JWKS_URL: issuer.jwksUrl,
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const service: RunningService = await startService(config, {
    logger,
    port: 0,
    consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, maxAttempts: 2 },
  });
  const redis = new Redis(config.REDIS_URL);
  return {
    url: service.url,
    config,
    catalog,
    issuer,
    redis,
    customer: (sub) => issuer.tokenFor('customer', sub),
    api: () => request(service.url),
    async close() {
      await service.stop();
      const keys = await redis.keys(`${config.CART_KEY_PREFIX}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await Promise.all([catalog.close(), issuer.close(), kafka.drop()]);
    },
  };
}

/** The body of a cart answer, checked against the contract on the way. */
export function cartOf(response: { body: unknown }): Cart {
  return cartSchema.parse(response.body);
}

export function problemOf(response: { body: unknown }): Problem {
  return problemSchema.parse(response.body);
}
