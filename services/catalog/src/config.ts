import { baseConfigSchema, envVar, loadConfig, type Env } from '@shop/service-kit';

export const configSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: envVar.string().default('catalog'),
    PORT: envVar.port().default(8082),
    DATABASE_URL: envVar.url(['postgres', 'postgresql']),
    KAFKA_BROKERS: envVar.list(),
    /** Defaults to the service name: every catalog replica shares the stock events' partitions. */
    KAFKA_CONSUMER_GROUP: envVar.string().optional(),
    KAFKA_TOPIC_PREFIX: envVar.topicPrefix(),
    JWKS_URL: envVar.url(['http', 'https']),
    JWT_ISSUER: envVar.string().default('shop-identity'),
    JWT_AUDIENCE: envVar.string().default('shop'),
    DEMO_DATA: envVar.boolean().default(false),
  })
  .transform((config) => ({
    ...config,
    KAFKA_CONSUMER_GROUP: config.KAFKA_CONSUMER_GROUP ?? config.SERVICE_NAME,
  }));

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: Env = process.env): Config {
  return loadConfig(configSchema, env);
}
