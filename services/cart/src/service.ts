import type { Server } from 'node:http';
import { createJwtVerifier } from '@shop/auth';
import { topics, type Message } from '@shop/contracts';
import { createKafka, startConsumer } from '@shop/messaging';
import { BreakerRegistry } from '@shop/resilience';
import {
  contextFromHeaders,
  createLogger,
  createMetricsRegistry,
  runWithContext,
  startServer,
  type Logger,
} from '@shop/service-kit';
import { buildApp } from './app';
import type { Config } from './config';
import { redisCartStore } from './data/carts';
import { createCatalogClient } from './data/catalog';
import { cartKeys } from './data/keys';
import { redisSnapshotStore } from './data/product-snapshots';
import { createRedis } from './data/redis';
import { redisInbox, type RedisUnit } from './data/redis-inbox';
import type { CartDeps } from './domain/carts';
import { onOrderConfirmed, onProductChanged } from './messaging/handlers';

export interface ServiceOptions {
  logger?: Logger;
  /** Overrides PORT, e.g. 0 in tests. */
  port?: number;
  /** Consumer tuning; tests shorten these so a group settles fast. */
  consumer?: { sessionTimeoutMs?: number; heartbeatIntervalMs?: number; maxAttempts?: number };
}

export interface RunningService {
  url: string;
  port: number;
  /** For the graceful shutdown to drain before `stop()`. */
  server: Server;
  /** Closes the server (unless already drained), then the consumer, the breaker and Redis. */
  stop(): Promise<void>;
}

export async function startService(
  config: Config,
  options: ServiceOptions = {},
): Promise<RunningService> {
  const logger =
    options.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const keys = cartKeys(config.CART_KEY_PREFIX);
  const redis = createRedis(config.REDIS_URL);
  const carts = redisCartStore(redis, keys, config.CART_TTL);
  const snapshots = redisSnapshotStore(redis, keys);
  const inbox = redisInbox(redis, { keys, ttlMs: config.INBOX_TTL });

  const breakers = new BreakerRegistry();
  const metrics = createMetricsRegistry({ service: config.SERVICE_NAME });
  breakers.exposeMetrics(metrics);
  const catalog = createCatalogClient({
    baseUrl: config.CATALOG_URL,
    timeoutMs: config.CATALOG_TIMEOUT,
    volumeThreshold: config.CATALOG_BREAKER_VOLUME_THRESHOLD,
    errorThresholdPercentage: config.CATALOG_BREAKER_ERROR_PERCENTAGE,
    resetTimeoutMs: config.CATALOG_BREAKER_RESET_TIMEOUT,
    registry: breakers,
  });

  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.SERVICE_NAME,
    logger,
  });
  const consumer = await startConsumer<Message, RedisUnit>({
    kafka,
    inbox,
    logger,
    groupId: config.KAFKA_CONSUMER_GROUP,
    consumerName: config.SERVICE_NAME,
    topics: [topics.orderEvents, topics.catalogEvents],
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    handlers: {
      OrderConfirmed: (message, unit, { traceparent }) =>
        runWithContext(contextFromHeaders({ traceparent }), () =>
          onOrderConfirmed(carts, message, unit),
        ),
      ProductCreated: (message, unit) => onProductChanged(snapshots, message, unit),
      ProductUpdated: (message, unit) => onProductChanged(snapshots, message, unit),
    },
    ...options.consumer,
  });

  const verifier = createJwtVerifier({
    jwksUrl: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  const cart: CartDeps = {
    carts,
    snapshots,
    catalog,
    logger,
    defaultCurrency: config.DEFAULT_CURRENCY,
  };
  const app = buildApp({ service: config.SERVICE_NAME, logger, redis, metrics, verifier, cart });
  const server = await startServer(app, { port: options.port ?? config.PORT, host: config.HOST });
  logger.info({ url: server.url }, 'cart listening');

  return {
    url: server.url,
    port: server.port,
    server: server.server,
    async stop() {
      if (server.server.listening) await server.close();
      await consumer.stop();
      await inbox.close();
      breakers.shutdown();
      await redis.quit();
    },
  };
}
