import { databaseServiceSettings, defaultConsumerGroup } from '@shop/service-host';
import { baseConfigSchema, envVar, loadConfig, type Env } from '@shop/service-kit';
import type { z } from 'zod';

const dayMs = 24 * 60 * 60_000;

export const configSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: envVar.string().default('order'),
    PORT: envVar.port().default(8084),
    ...databaseServiceSettings,
    CART_URL: envVar.url(['http', 'https']),
    CATALOG_URL: envVar.url(['http', 'https']),
    /** Below the gateway's own upstream timeout, so a slow cart fails here first (504). */
    CART_TIMEOUT: envVar.durationMs().default(2_000),
    CATALOG_TIMEOUT: envVar.durationMs().default(2_000),
    /**
     * How long a saga step waits for its reply before its command is sent again; each further
     * wait doubles, and is never shorter than the queueing the saga timer measures.
     */
    STEP_TIMEOUT: envVar.durationMs().default(10_000),
    /** The retry budget: how many times in all one step's command may be sent. */
    STEP_MAX_SENDS: envVar.integer(1, 10).default(3),
    /**
     * How long the forward steps may take in all before the saga compensates: CANCELLED(TIMEOUT).
     * Under load it is lengthened by the measured queueing, to at most twice this.
     */
    SAGA_TIMEOUT: envVar.durationMs().default(60_000),
    /** How often the saga timer looks for due deadlines. */
    SAGA_TICK: envVar.durationMs().default(1_000),
    /**
     * Anti-hoarding (OWASP API4/API6): units of one product a customer may hold in open orders,
     * this one included. A cart line holds at most 99, so the default only bounds many orders at
     * once.
     */
    MAX_OPEN_UNITS_PER_PRODUCT: envVar.integer(1, 1_000_000).default(100),
    /**
     * Admission control (docs/decisions/0005): new checkouts are refused with 503 + Retry-After
     * once the sagas in flight reach measured throughput × ADMISSION_TARGET_LATENCY. The target
     * sits well below issue 13's bar for accepted checkouts (p99 < 1 s): a saga's latency spreads
     * around it.
     */
    ADMISSION_CONTROL: envVar.boolean().default(true),
    ADMISSION_TARGET_LATENCY: envVar.durationMs().default(600),
    ADMISSION_MIN_LIMIT: envVar.integer(1, 1_000_000).default(10),
    ADMISSION_MAX_LIMIT: envVar.integer(1, 1_000_000).default(2_000),
    ADMISSION_WINDOW: envVar.durationMs().default(5_000),
    ADMISSION_REFRESH: envVar.durationMs().default(250),
    /** API.md promises at least 24 h; shorter values are refused. */
    IDEMPOTENCY_KEY_RETENTION: envVar
      .durationMs()
      .default(dayMs)
      .refine((ms) => ms >= dayMs, 'must be at least 24h'),
  })
  .transform(defaultConsumerGroup);

export type Config = z.output<typeof configSchema>;

export function readConfig(env: Env = process.env): Config {
  return loadConfig(configSchema, env);
}
