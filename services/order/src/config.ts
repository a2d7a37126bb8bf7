import { baseConfigSchema, envVar, loadConfig, type Env } from '@shop/service-kit';
import type { z } from 'zod';

const dayMs = 24 * 60 * 60_000;

export const configSchema = baseConfigSchema.extend({
  SERVICE_NAME: envVar.string().default('order'),
  PORT: envVar.port().default(8084),
  DATABASE_URL: envVar.url(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: envVar.integer(1, 200).default(10),
  KAFKA_BROKERS: envVar.list(),
  /** Defaults to SERVICE_NAME: replicas of the service share the reply partitions. */
  KAFKA_CONSUMER_GROUP: envVar.string().optional(),
  KAFKA_TOPIC_PREFIX: envVar.topicPrefix(),
  JWKS_URL: envVar.url(['http', 'https']),
  JWT_ISSUER: envVar.string(),
  JWT_AUDIENCE: envVar.string(),
  CART_URL: envVar.url(['http', 'https']),
  CATALOG_URL: envVar.url(['http', 'https']),
  /** Below the gateway's own upstream timeout, so a slow cart fails here first (504). */
  CART_TIMEOUT: envVar.durationMs().default(2_000),
  CATALOG_TIMEOUT: envVar.durationMs().default(2_000),
  /** How long a saga step waits for its reply before its command is sent again. */
  STEP_TIMEOUT: envVar.durationMs().default(10_000),
  /** How long the forward steps may take in all before the saga compensates: CANCELLED(TIMEOUT). */
  SAGA_TIMEOUT: envVar.durationMs().default(60_000),
  /** How often the saga timer looks for due deadlines. */
  SAGA_TICK: envVar.durationMs().default(1_000),
  /** API.md promises at least 24 h; shorter values are refused. */
  IDEMPOTENCY_KEY_RETENTION: envVar
    .durationMs()
    .default(dayMs)
    .refine((ms) => ms >= dayMs, 'must be at least 24h'),
});

export type Config = Omit<z.output<typeof configSchema>, 'KAFKA_CONSUMER_GROUP'> & {
  KAFKA_CONSUMER_GROUP: string;
};

export function readConfig(env: Env = process.env): Config {
  const config = loadConfig(configSchema, env);
  return { ...config, KAFKA_CONSUMER_GROUP: config.KAFKA_CONSUMER_GROUP ?? config.SERVICE_NAME };
}
