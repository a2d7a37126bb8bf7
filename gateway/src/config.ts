import { jwtSettings } from '@shop/service-host';
import { baseConfigSchema, envVar, loadConfig, type Env } from '@shop/service-kit';

const upstreamUrl = (port: number) =>
  envVar.url(['http', 'https']).default(`http://127.0.0.1:${port}`);

export const configSchema = baseConfigSchema.extend({
  SERVICE_NAME: envVar.string().default('gateway'),
  PORT: envVar.port().default(8080),
  /** The base URL clients use; it goes into the OpenAPI document's `servers`. */
  PUBLIC_URL: envVar.url(['http', 'https']).default('http://localhost:8080'),

  IDENTITY_URL: upstreamUrl(8081),
  CATALOG_URL: upstreamUrl(8082),
  CART_URL: upstreamUrl(8083),
  ORDER_URL: upstreamUrl(8084),
  INVENTORY_URL: upstreamUrl(8085),
  PAYMENT_URL: upstreamUrl(8086),
  NOTIFICATION_URL: upstreamUrl(8087),

  /** Budget for one proxied exchange, from sending the request to the last byte of the answer. */
  UPSTREAM_TIMEOUT: envVar.durationMs().default(5_000),
  IDENTITY_TIMEOUT: envVar.durationMs().optional(),
  CATALOG_TIMEOUT: envVar.durationMs().optional(),
  CART_TIMEOUT: envVar.durationMs().optional(),
  ORDER_TIMEOUT: envVar.durationMs().optional(),
  INVENTORY_TIMEOUT: envVar.durationMs().optional(),
  PAYMENT_TIMEOUT: envVar.durationMs().optional(),
  NOTIFICATION_TIMEOUT: envVar.durationMs().optional(),
  /** Calls in a breaker's rolling window before it may open at all. */
  BREAKER_VOLUME_THRESHOLD: envVar.integer(1, 10_000).default(10),
  /** A breaker opens when failures exceed this share (%) of the calls in its window. */
  BREAKER_ERROR_PERCENTAGE: envVar.integer(1, 100).default(50),
  /** How long an open breaker answers 503 before letting one probe through. */
  BREAKER_RESET_TIMEOUT: envVar.durationMs().default(10_000),
  /**
   * After the order service refuses a checkout as full (503 + Retry-After), the gateway refuses
   * new ones itself for this long (docs/decisions/0005); 0 sends every checkout on.
   */
  CHECKOUT_SHED_HOLD: envVar.durationMs().default(250),
  /**
   * A checkout refused at the gateway is told to wait longer while refusals outnumber
   * admissions (retry-pacer.ts); false passes on the order service's Retry-After alone.
   */
  CHECKOUT_PACE_RETRIES: envVar.boolean().default(true),
  /**
   * New work (browsing, carts; not orders) is refused in a growing share while the shop is behind
   * (new-work-gate.ts, decision 0005); false only reports the signals.
   */
  SHED_NEW_WORK: envVar.boolean().default(true),
  /** Behind: the gateway's event loop later than this (all new work refused at twice it). */
  SHED_EVENT_LOOP_DELAY: envVar.durationMs().default(100),
  /**
   * Behind: the median time new work let in takes through the shop above this. 0 (the default):
   * not a reason — on two cores at 4× capacity it refused half the carts and neither sped up the
   * rest nor raised checkouts (docs/performance.md), so it stays a knob to try elsewhere.
   */
  SHED_NEW_WORK_LATENCY: envVar.durationMs().default(0),
  /** Per upstream `/health/ready` probe of `/api/system/health`, and for its consumer lag read. */
  HEALTH_CHECK_TIMEOUT: envVar.durationMs().default(1_000),
  /** Only for the consumer lag of `/api/system/health` (`null` without it): it consumes nothing. */
  KAFKA_BROKERS: envVar.list().optional(),
  /** The topic namespace the services run in (tests and testbeds); none in production. */
  KAFKA_TOPIC_PREFIX: envVar.topicPrefix(),
  /** When the services' groups are `<service><suffix>` (a testbed): empty in production. */
  KAFKA_CONSUMER_GROUP_SUFFIX: envVar
    .string()
    .regex(/^[a-z0-9._-]+$/, 'must be lower-case letters, digits, . _ -')
    .default(''),

  ...jwtSettings,

  /** May carry a password, so no default. */
  REDIS_URL: envVar.url(['redis', 'rediss']),
  /** Every rate-limit key starts with this, so the gateway can share a Redis (and tests isolate). */
  RATE_LIMIT_PREFIX: envVar.string().default('gateway:ratelimit:'),
  RATE_LIMIT_WINDOW: envVar.durationMs().default(60_000),
  /** Requests per window from one client address, whoever is signed in. */
  RATE_LIMIT_PER_IP: envVar.integer(1, 10_000_000).default(600),
  /** Requests per window by one signed-in user, from any address. */
  RATE_LIMIT_PER_USER: envVar.integer(1, 10_000_000).default(300),
  /** POST /api/auth/login and /api/auth/register per window from one address: password guessing. */
  RATE_LIMIT_AUTH: envVar.integer(1, 10_000_000).default(10),
  /** Redis answers within this or the limiter lets the request through (fail open). */
  RATE_LIMIT_REDIS_TIMEOUT: envVar.durationMs().default(200),

  /** Proxies in front of the gateway whose X-Forwarded-For is believed (0: clients talk to us directly). */
  TRUST_PROXY: envVar.integer(0, 10).default(0),
  /** Browser origins allowed to call the API (CORS); none when unset. */
  CORS_ORIGINS: envVar.list().optional(),
  /**
   * The native runner's chaos control (`SHOP_CHAOS=on npm start` sets it): the console's chaos
   * routes forward there. Unset — always, in Docker Compose and Kubernetes — they answer 404.
   */
  CHAOS_URL: envVar.url(['http']).optional(),
});

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: Env = process.env): Config {
  return loadConfig(configSchema, env);
}
