import { databaseServiceSettings, defaultConsumerGroup } from '@shop/service-host';
import { baseConfigSchema, envVar, loadConfig, type Env } from '@shop/service-kit';
import { z } from 'zod';

/** A fraction written as a decimal number 0..1, e.g. 0, 0.25, 1. */
const fraction = () =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number 0..1')
    .transform(Number)
    .pipe(z.number().min(0, 'must be a number 0..1').max(1, 'must be a number 0..1'));

export const configSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: envVar.string().default('payment'),
    PORT: envVar.port().default(8086),
    ...databaseServiceSettings,
    /** Retries after a transient processor failure, before answering PAYMENT_UNAVAILABLE. */
    PROCESSOR_RETRIES: envVar.integer(0, 10).default(3),
    /** The first retry waits up to this long (full jitter), each later one up to twice as long. */
    PROCESSOR_RETRY_BASE: envVar.durationMs().default(100),
    /** Cap on any one retry delay. */
    PROCESSOR_RETRY_MAX: envVar.durationMs().default(2_000),
    /** Simulated time the processor takes per call, for chaos runs. */
    PROCESSOR_LATENCY: envVar.durationMs().default(0),
    /** The fraction of otherwise-approved calls that fail transiently (and so are retried). */
    PROCESSOR_FAILURE_RATE: fraction().default(0),
  })
  .transform(defaultConsumerGroup);

export type Config = z.output<typeof configSchema>;

export function readConfig(env: Env = process.env): Config {
  return loadConfig(configSchema, env);
}
