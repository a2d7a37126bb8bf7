import { topics } from '@shop/contracts';
import { defineService, type HostOptions } from '@shop/service-host';
import { redisCheck } from '@shop/service-kit';
import type { Config } from './config';
import { redisCartStore } from './data/carts';
import { createCatalogClient } from './data/catalog';
import { cartKeys } from './data/keys';
import { redisSnapshotStore } from './data/product-snapshots';
import { createRedis } from './data/redis';
import { redisInbox } from './data/redis-inbox';
import { cartRoutes } from './http/cart-routes';
import { onOrderConfirmed, onProductChanged } from './messaging/handlers';

/** Carts in Redis, priced from snapshots of the catalog's products; emptied by OrderConfirmed. */
export const startService = defineService<Config, HostOptions>(async (host) => {
  const { config, logger } = host;
  const keys = cartKeys(config.CART_KEY_PREFIX);
  const redis = createRedis(config.REDIS_URL);
  host.onStop('redis', () => redis.quit());
  const carts = redisCartStore(redis, keys, config.CART_TTL);
  const snapshots = redisSnapshotStore(redis, keys);
  const inbox = redisInbox(redis, { keys, ttlMs: config.INBOX_TTL });
  host.onStop('redis inbox', () => inbox.close());
  const catalog = createCatalogClient({
    baseUrl: config.CATALOG_URL,
    timeoutMs: config.CATALOG_TIMEOUT,
    volumeThreshold: config.CATALOG_BREAKER_VOLUME_THRESHOLD,
    errorThresholdPercentage: config.CATALOG_BREAKER_ERROR_PERCENTAGE,
    resetTimeoutMs: config.CATALOG_BREAKER_RESET_TIMEOUT,
    registry: host.breakers(),
  });
  await host.consume({
    topics: [topics.orderEvents, topics.catalogEvents],
    handlers: {
      OrderConfirmed: (message, unit) => onOrderConfirmed(carts, message, unit),
      ProductCreated: (message, unit) => onProductChanged(snapshots, message, unit),
      ProductUpdated: (message, unit) => onProductChanged(snapshots, message, unit),
    },
    inbox,
  });
  return host.app(
    cartRoutes(
      { carts, snapshots, catalog, logger, defaultCurrency: config.DEFAULT_CURRENCY },
      host.verifier(),
    ),
    { redis: redisCheck(redis) },
  );
});

export type { RunningService } from '@shop/service-host';
