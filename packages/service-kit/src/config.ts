import { z } from 'zod';
import { logLevels } from './logger';

export type Env = Record<string, string | undefined>;

/** Thrown at start-up; its message lists every bad or missing variable, never their values. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Variables for typical settings. Each message completes the sentence "<NAME> …", so a failed
 * start-up reads like "PORT must be an integer 1..65535". Nothing here has a default: a service
 * adds `.default(…)` where a default is safe, and never for a secret.
 */
export const envVar = {
  string: () => z.string({ error: 'must be a non-empty string' }).min(1, 'must not be empty'),

  /** A credential or key: required in every environment, never defaulted, never echoed. */
  secret: () => z.string({ error: 'is required' }).min(1, 'must not be empty'),

  integer: (min: number, max: number) =>
    z
      .string()
      .regex(/^-?\d+$/, `must be an integer ${min}..${max}`)
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(min, `must be an integer ${min}..${max}`)
          .max(max, `must be an integer ${min}..${max}`),
      ),

  port: () => envVar.integer(1, 65535),

  url: (protocols?: string[]) =>
    z.string().refine(
      (value) => {
        if (!URL.canParse(value)) return false;
        return !protocols || protocols.includes(new URL(value).protocol.replace(/:$/, ''));
      },
      protocols ? `must be a ${protocols.join(' or ')} URL` : 'must be a URL',
    ),

  /** Milliseconds, written as a plain number or with a unit: 500, 500ms, 5s, 2m, 1h. */
  durationMs: () =>
    z
      .string()
      .regex(/^\d+(ms|s|m|h)?$/, 'must be a duration such as 500, 500ms, 5s, 2m or 1h')
      .transform(toMilliseconds),

  /** Only the words true and false: "0", "yes" or "off" are typos more often than intent. */
  boolean: () =>
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((value) => value === 'true'),

  oneOf: <const T extends readonly [string, ...string[]]>(values: T) =>
    z.enum(values, { error: `must be one of ${values.join(', ')}` }),

  /**
   * KAFKA_TOPIC_PREFIX: empty in production; component tests give each service under test a
   * private copy of every topic (`t-xyz.order.events.v1`) so tests running at the same time
   * never answer each other's commands (see @shop/messaging createTopicNamespace).
   */
  topicPrefix: () =>
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*\.$/, 'must be lower-case and end with a dot, e.g. "t-1a2b."')
      .default(''),

  /** A comma-separated list such as KAFKA_BROKERS=host1:9092,host2:9092. */
  list: () =>
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .refine((items) => items.length > 0, 'must list at least one value'),
};

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

function toMilliseconds(value: string): number {
  const [, amount = '0', unit = 'ms'] = /^(\d+)(ms|s|m|h)?$/.exec(value) ?? [];
  return Number(amount) * unitMs[unit as keyof typeof unitMs];
}

/**
 * What every service reads. Compose with `baseConfigSchema.extend({ ... })`; a service gives
 * PORT and SERVICE_NAME its own default by extending them again.
 */
export const baseConfigSchema = z.object({
  NODE_ENV: envVar.oneOf(['development', 'test', 'production']).default('development'),
  SERVICE_NAME: envVar.string(),
  HOST: envVar.string().default('127.0.0.1'),
  PORT: envVar.port(),
  LOG_LEVEL: envVar.oneOf(logLevels).default('info'),
  SHUTDOWN_TIMEOUT_MS: envVar.durationMs().default(10_000),
});

export type BaseConfig = z.output<typeof baseConfigSchema>;

/**
 * Parses the environment once at start-up. An empty variable counts as missing, as a shell
 * `export PORT=` usually means "unset" rather than "the empty string".
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(describeIssues(result.error.issues, present));
}

function describeIssues(issues: readonly z.core.$ZodIssue[], present: Env): string[] {
  const problems = issues.map((issue) => {
    const name = issue.path.map(String).join('.') || 'configuration';
    const [variable] = issue.path;
    if (typeof variable === 'string' && present[variable] === undefined)
      return `${name} is required`;
    return issue.message.startsWith('must')
      ? `${name} ${issue.message}`
      : `${name}: ${issue.message}`;
  });
  return [...new Set(problems)];
}
