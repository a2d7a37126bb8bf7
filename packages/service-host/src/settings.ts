import { envVar } from '@shop/service-kit';
import type { z } from 'zod';

/**
 * The settings the host reads, in fragments a service spreads into its own schema
 * (`baseConfigSchema.extend({ ...databaseSettings, ...kafkaSettings, … })`), so every service
 * names, validates and defaults them the same way. Required ones have no default.
 */

/** A service that owns a PostgreSQL database. */
export const databaseSettings = {
  /** May carry a password, so no default. */
  DATABASE_URL: envVar.url(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: envVar.integer(1, 200).default(10),
  /**
   * Server-side cap on one statement, lock waits included: a runaway query fails instead of
   * holding a connection. Above the gateway's 5 s upstream budget, so a consumer's saga step
   * under load (nobody waiting on it over HTTP) is not cut short.
   */
  DATABASE_STATEMENT_TIMEOUT: envVar.durationMs().default(10_000),
};

/** A service that publishes (through its outbox) or consumes Kafka messages. */
export const kafkaSettings = {
  KAFKA_BROKERS: envVar.list(),
  /** Defaults to SERVICE_NAME: every replica of a service shares its partitions. */
  KAFKA_CONSUMER_GROUP: envVar.string().optional(),
  KAFKA_TOPIC_PREFIX: envVar.topicPrefix(),
  /**
   * How long a consumed message's offset may wait to be committed with others in one request
   * (0: after every fetched batch). A crash redelivers at most that much; the inbox skips it.
   */
  KAFKA_COMMIT_INTERVAL: envVar.durationMs().default(1_000),
};

/** The claims every token is checked against; the same names for the issuer and every verifier. */
export const tokenSettings = {
  JWT_ISSUER: envVar.string().default('shop-identity'),
  JWT_AUDIENCE: envVar.string().default('shop'),
};

/** A service that verifies customers' tokens against identity's published keys. */
export const jwtSettings = {
  ...tokenSettings,
  JWKS_URL: envVar.url(['http', 'https']),
};

type Output<T extends Record<string, z.ZodType>> = { [K in keyof T]: z.output<T[K]> };

export type DatabaseSettings = Output<typeof databaseSettings>;
export type KafkaSettings = Omit<Output<typeof kafkaSettings>, 'KAFKA_CONSUMER_GROUP'> & {
  KAFKA_CONSUMER_GROUP?: string | undefined;
};
export type JwtSettings = Output<typeof jwtSettings>;

/** For a schema's `.transform`: the consumer group defaults to the service's name. */
export function defaultConsumerGroup<
  T extends { SERVICE_NAME: string; KAFKA_CONSUMER_GROUP?: string | undefined },
>(config: T): T & { KAFKA_CONSUMER_GROUP: string } {
  return { ...config, KAFKA_CONSUMER_GROUP: config.KAFKA_CONSUMER_GROUP ?? config.SERVICE_NAME };
}

/** What most services read: a database of their own, Kafka, and customers' tokens to check. */
export const databaseServiceSettings = { ...databaseSettings, ...kafkaSettings, ...jwtSettings };
