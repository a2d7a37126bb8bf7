import { baseConfigSchema, envVar, loadConfig, type Env } from '@shop/service-kit';
import type { z } from 'zod';

export const configSchema = baseConfigSchema.extend({
  SERVICE_NAME: envVar.string().default('inventory'),
  PORT: envVar.port().default(8085),
  DATABASE_URL: envVar.url(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: envVar.integer(1, 200).default(10),
  KAFKA_BROKERS: envVar.list(),
  /** Defaults to SERVICE_NAME: replicas of the service share the command partitions. */
  KAFKA_CONSUMER_GROUP: envVar.string().optional(),
  KAFKA_TOPIC_PREFIX: envVar.topicPrefix(),
  JWKS_URL: envVar.url(['http', 'https']),
  JWT_ISSUER: envVar.string(),
  JWT_AUDIENCE: envVar.string(),
  /** How long a reservation holds its units when the saga neither commits nor releases it. */
  RESERVATION_TTL: envVar.durationMs().default(15 * 60_000),
  /** How often expired reservations are looked for; the TTL is enforced on commit regardless. */
  RESERVATION_SWEEP_INTERVAL: envVar.durationMs().default(10_000),
});

export type Config = Omit<z.output<typeof configSchema>, 'KAFKA_CONSUMER_GROUP'> & {
  KAFKA_CONSUMER_GROUP: string;
};

export function readConfig(env: Env = process.env): Config {
  const config = loadConfig(configSchema, env);
  return { ...config, KAFKA_CONSUMER_GROUP: config.KAFKA_CONSUMER_GROUP ?? config.SERVICE_NAME };
}
