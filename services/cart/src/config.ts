import { currencySchema } from '@shop/contracts';
import { defaultConsumerGroup, jwtSettings, kafkaSettings } from '@shop/service-host';
import { baseConfigSchema, envVar, loadConfig, type Env } from '@shop/service-kit';

const hourMs = 3_600_000;

export const configSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: envVar.string().default('cart'),
    PORT: envVar.port().default(8083),
    /** May carry a password, so no default. */
    REDIS_URL: envVar.url(['redis', 'rediss']),
    /** Every key the cart writes starts with this, so it can share a Redis with others. */
    CART_KEY_PREFIX: envVar.string().default('cart:'),
    /** An untouched cart is forgotten after this long; every write starts it again. */
    CART_TTL: envVar.durationMs().default(30 * 24 * hourMs),
    /** How long an applied message id is remembered; redeliveries come within minutes, not days. */
    INBOX_TTL: envVar.durationMs().default(7 * 24 * hourMs),
    /** The currency an empty cart names (API.md: a cart always names one). */
    DEFAULT_CURRENCY: currencySchema.default('EUR'),
    ...kafkaSettings,
    ...jwtSettings,
    CATALOG_URL: envVar.url(['http', 'https']).default('http://127.0.0.1:8082'),
    /** Below the gateway's own budget, so the cart answers (from its snapshots) before it gives up. */
    CATALOG_TIMEOUT: envVar.durationMs().default(1_000),
    /** Calls in the breaker's rolling window before it may open at all. */
    CATALOG_BREAKER_VOLUME_THRESHOLD: envVar.integer(1, 10_000).default(10),
    /** The breaker opens when failures exceed this share (%) of the calls in the window. */
    CATALOG_BREAKER_ERROR_PERCENTAGE: envVar.integer(1, 100).default(50),
    /** How long an open breaker waits before letting one probe through. */
    CATALOG_BREAKER_RESET_TIMEOUT: envVar.durationMs().default(10_000),
  })
  .transform(defaultConsumerGroup);

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: Env = process.env): Config {
  return loadConfig(configSchema, env);
}
