import { databaseServiceSettings, defaultConsumerGroup } from '@shop/service-host';
import { baseConfigSchema, envVar, loadConfig, type Env } from '@shop/service-kit';
import type { z } from 'zod';

export const configSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: envVar.string().default('inventory'),
    PORT: envVar.port().default(8085),
    ...databaseServiceSettings,
    /** How long a reservation holds its units when the saga neither commits nor releases it. */
    RESERVATION_TTL: envVar.durationMs().default(15 * 60_000),
    /** How often expired reservations are looked for; the TTL is enforced on commit regardless. */
    RESERVATION_SWEEP_INTERVAL: envVar.durationMs().default(10_000),
  })
  .transform(defaultConsumerGroup);

export type Config = z.output<typeof configSchema>;

export function readConfig(env: Env = process.env): Config {
  return loadConfig(configSchema, env);
}
