import type { JwtVerifier } from '@shop/auth';
import { createApp, redisCheck, type Logger, type Registry } from '@shop/service-kit';
import type { Express } from 'express';
import type { Redis } from './data/redis';
import type { CartDeps } from './domain/carts';
import { cartRoutes } from './http/cart-routes';

export interface AppDeps {
  service: string;
  logger: Logger;
  redis: Redis;
  metrics: Registry;
  verifier: JwtVerifier;
  cart: CartDeps;
}

/** Ready means Redis answers. The catalog is deliberately not checked: the cart serves from its
 * snapshots while the catalog is down, which is the point of keeping them. */
export function buildApp({ service, logger, redis, metrics, verifier, cart }: AppDeps): Express {
  return createApp({
    service,
    logger,
    registry: metrics,
    readiness: { redis: redisCheck(redis) },
    routes: (app) => app.use(cartRoutes(cart, verifier)),
  });
}
