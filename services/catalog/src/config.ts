import { databaseServiceSettings, defaultConsumerGroup } from '@shop/service-host';
import { baseConfigSchema, envVar, loadConfig, type Env } from '@shop/service-kit';

export const configSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: envVar.string().default('catalog'),
    PORT: envVar.port().default(8082),
    ...databaseServiceSettings,
    DEMO_DATA: envVar.boolean().default(false),
  })
  .transform(defaultConsumerGroup);

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: Env = process.env): Config {
  return loadConfig(configSchema, env);
}
