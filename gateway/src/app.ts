import type { Express } from 'express';
import { bearerToken, type JwtVerifier } from '@shop/auth';
import type { BreakerRegistry } from '@shop/resilience';
import {
  createApp,
  redisCheck,
  type Logger,
  type Pingable,
  type Registry,
} from '@shop/service-kit';
import { documentedRoutes } from './auth/documented-routes';
import { routeAuth } from './auth/route-auth';
import type { Config } from './config';
import { cors } from './cors';
import type { LagReader } from './operations/consumer-lag';
import { chaosRoutes } from './operations/chaos';
import { deadLetterRoutes, type DeadLetterDesk } from './operations/dead-letters';
import { docsRoutes } from './operations/docs';
import { systemHealth } from './operations/system-health';
import { declaredBodyLimit } from './proxy/body-limit';
import { echoTraceparent, forwardedHeaders } from './proxy/forwarded-headers';
import type { CheckoutGate } from './overload/checkout-gate';
import type { NewWorkGate } from './overload/new-work-gate';
import type { UpstreamProxies } from './proxy/upstream-proxy';
import type { RateLimitStore } from './rate-limit/limiter';
import type { Policy } from './rate-limit/headers';
import { rateLimit, rateLimitMetrics, type Limit } from './rate-limit/middleware';
import type { Upstream } from './upstreams';
import { webSite } from './web/site';

/** API.md: a body over 64 KiB is refused. */
export const bodyLimitBytes = 64 * 1024;

export interface AppDependencies {
  config: Config;
  logger: Logger;
  registry: Registry;
  redis: Pingable;
  rateLimitStore: RateLimitStore;
  verifier: JwtVerifier;
  upstreams: Upstream[];
  proxies: UpstreamProxies;
  breakers: BreakerRegistry;
  /** For `/api/system/health`; `noKafka` when the gateway is given no brokers. */
  readConsumerLag: LagReader;
  /** For `/api/system/dead-letters…` (admins). */
  deadLetters: DeadLetterDesk;
  /**
   * Sheds `POST /api/orders` while the order service reports full: a known shopper's at the
   * door (service.ts), any other after authentication, here.
   */
  checkoutGate: CheckoutGate;
  /** Sheds new work (browsing, carts) at the door while the shop is behind; here, its figures. */
  newWorkGate: NewWorkGate;
}

/**
 * The order is the design. Before the app, at the door (service.ts), new work is refused while the
 * shop is behind, and a known shopper's checkout while the order service reports full: a refusal
 * must cost as little as possible. Here, documentation is static and served before anything costs
 * a Redis call; every other `/api` request is counted per address before its token is verified
 * (so a flood of forged tokens is limited too) — and per user in the same call when the token was
 * verified lately — then authenticated per contracts' routes, a new checkout shed here while the
 * order service reports full, counted per user if it was not yet, stripped of identity headers
 * and proxied through its upstream's breaker.
 */
export function buildApp(deps: AppDependencies): Express {
  const { config, logger, upstreams } = deps;
  const metrics = rateLimitMetrics(deps.registry);
  const window = config.RATE_LIMIT_WINDOW;
  const limits = (...chosen: Limit[]) =>
    rateLimit({ store: deps.rateLimitStore, limits: chosen, metrics, logger });
  const policy = (name: string, quota: number): Policy => ({ name, quota, windowMs: window });
  const address: Limit = {
    policy: policy('ip', config.RATE_LIMIT_PER_IP),
    subjectOf: (req) => req.ip,
  };
  const userPolicy = policy('user', config.RATE_LIMIT_PER_USER);
  const user: Limit = { policy: userPolicy, subjectOf: (req) => req.user?.id };
  // A token verified lately names its user before the token is checked again, so that user's
  // quota is counted with the address's, in the same round trip to Redis.
  const knownUser: Limit = {
    policy: userPolicy,
    subjectOf: (req) => deps.verifier.recall(bearerToken(req))?.id,
  };
  const logins: Limit = {
    policy: policy('auth', config.RATE_LIMIT_AUTH),
    subjectOf: (req) => req.ip,
  };

  return createApp({
    service: config.SERVICE_NAME,
    logger,
    registry: deps.registry,
    readiness: { redis: redisCheck(deps.redis) },
    bodyLimit: bodyLimitBytes,
    trustProxy: config.TRUST_PROXY,
    routes: (app) => {
      app.use(echoTraceparent());
      if (config.CORS_ORIGINS) app.use(cors(config.CORS_ORIGINS));
      app.use(docsRoutes(config.PUBLIC_URL));
      // The storefront's pages are never under /api: an API request skips their routes.
      const site = webSite();
      app.use((req, res, next) => (req.path.startsWith('/api/') ? next() : site(req, res, next)));

      app.use('/api', limits(address, knownUser));
      app.use(documentedRoutes());
      app.post(['/api/auth/login', '/api/auth/register'], limits(logins));
      app.get(
        '/api/system/health',
        systemHealth(
          upstreams,
          deps.breakers,
          config.HEALTH_CHECK_TIMEOUT,
          deps.readConsumerLag,
          () => ({
            checkoutGate: deps.checkoutGate.view(),
            newWorkGate: deps.newWorkGate.view(),
          }),
        ),
      );
      app.use(deadLetterRoutes(deps.deadLetters, deps.verifier));
      app.use(chaosRoutes(config.CHAOS_URL, deps.verifier));

      app.use(routeAuth(deps.verifier, upstreams));
      app.post('/api/orders', deps.checkoutGate.middleware);
      app.use('/api', limits(user));
      app.use(declaredBodyLimit(bodyLimitBytes));
      app.use(forwardedHeaders());
      app.use(deps.proxies.middleware);
    },
  });
}
