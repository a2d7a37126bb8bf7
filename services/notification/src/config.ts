import { databaseServiceSettings, defaultConsumerGroup } from '@shop/service-host';
import { baseConfigSchema, envVar, loadConfig, type Env } from '@shop/service-kit';

export const configSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: envVar.string().default('notification'),
    PORT: envVar.port().default(8087),
    ...databaseServiceSettings,
    SMTP_HOST: envVar.string(),
    SMTP_PORT: envVar.port(),
    /** The From header; its domain also names the Message-IDs. */
    SMTP_FROM: envVar.string().default('shop <no-reply@shop.test>'),
    /** Implicit TLS (port 465). When false, STARTTLS is still used if the server offers it. */
    SMTP_SECURE: envVar.boolean().default(false),
    /** Retries after the first attempt before a notification is marked FAILED. */
    SEND_RETRIES: envVar.integer(0, 50).default(5),
    /** First retry delay; doubled per attempt (with jitter) up to SEND_RETRY_MAX. */
    SEND_RETRY_BASE: envVar.durationMs().default(2_000),
    SEND_RETRY_MAX: envVar.durationMs().default(5 * 60_000),
    /** The sender's fallback poll; a committed notification normally wakes it at once. */
    SEND_POLL_INTERVAL: envVar.durationMs().default(5_000),
  })
  .transform(defaultConsumerGroup);

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: Env = process.env): Config {
  return loadConfig(configSchema, env);
}
