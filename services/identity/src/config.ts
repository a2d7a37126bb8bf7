import { maxTokenLifetimeSeconds, type PrivateSigningJwk } from '@shop/auth';
import { databaseSettings, kafkaSettings, tokenSettings } from '@shop/service-host';
import { baseConfigSchema, envVar, loadConfig, type Env } from '@shop/service-kit';
import { z } from 'zod';
import type { DemoUser } from './domain/demo-users';

const privateJwkMessage = 'must be a private Ed25519 JWK (JSON with kty, crv, x, d and kid)';

const privateEd25519JwkSchema = z.looseObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().min(1),
  d: z.string().min(1),
  kid: z.string().min(1),
});

/**
 * The key identity signs tokens with, as the JSON of a private JWK (what generateSigningKey makes).
 * A secret: required everywhere, never defaulted, and never echoed in an error.
 */
const privateJwkVar = () =>
  envVar.secret().transform((value, ctx): PrivateSigningJwk => {
    // One message for every failure: the detail of a JSON or schema error could quote the key.
    const parsed = privateEd25519JwkSchema.safeParse(parseJson(value));
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: privateJwkMessage });
      return z.NEVER;
    }
    return parsed.data;
  });

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

const tokenTtlVar = () =>
  envVar
    .durationMs()
    .refine(
      (ms) => ms >= 1000 && ms <= maxTokenLifetimeSeconds * 1000,
      'must be a duration between 1s and 1h',
    )
    .transform((ms) => Math.floor(ms / 1000));

const demoUserVars = [
  'DEMO_CUSTOMER_EMAIL',
  'DEMO_CUSTOMER_PASSWORD',
  'DEMO_ADMIN_EMAIL',
  'DEMO_ADMIN_PASSWORD',
] as const;

const demoPasswordVar = () =>
  z.string().min(8, 'must be 8..128 characters').max(128, 'must be 8..128 characters').optional();

export const configSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: envVar.string().default('identity'),
    PORT: envVar.port().default(8081),
    ...databaseSettings,
    ...kafkaSettings,
    ...tokenSettings,
    JWT_PRIVATE_JWK: privateJwkVar(),
    /** Token lifetime; becomes whole seconds. At most 1h (API.md). */
    JWT_TTL: tokenTtlVar().default(maxTokenLifetimeSeconds),
    /** Failed logins for one email allowed within LOGIN_FAILURE_WINDOW before it gets 429. */
    LOGIN_MAX_FAILURES: envVar.integer(1, 1000).default(5),
    LOGIN_FAILURE_WINDOW: envVar
      .durationMs()
      .refine((ms) => ms >= 1000, 'must be at least 1s')
      .default(15 * 60_000),
    DEMO_DATA: envVar.boolean().default(false),
    DEMO_CUSTOMER_EMAIL: z.email('must be an email address').optional(),
    DEMO_CUSTOMER_PASSWORD: demoPasswordVar(),
    DEMO_ADMIN_EMAIL: z.email('must be an email address').optional(),
    DEMO_ADMIN_PASSWORD: demoPasswordVar(),
  })
  .superRefine((config, ctx) => {
    if (!config.DEMO_DATA) return;
    for (const name of demoUserVars) {
      if (config[name] === undefined) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is required when DEMO_DATA=true' });
      }
    }
  });

export type Config = z.output<typeof configSchema>;

export function readConfig(env: Env = process.env): Config {
  return loadConfig(configSchema, env);
}

/** Only called with DEMO_DATA=true, when the config schema has made every demo variable required. */
export function demoUsers(config: Config): DemoUser[] {
  const required = (name: keyof Config): string => {
    const value = config[name];
    if (typeof value !== 'string') throw new Error(`${name} is required when DEMO_DATA=true`);
    return value;
  };
  return [
    {
      email: required('DEMO_CUSTOMER_EMAIL'),
      password: required('DEMO_CUSTOMER_PASSWORD'),
      name: 'Demo Customer',
      role: 'customer',
    },
    {
      email: required('DEMO_ADMIN_EMAIL'),
      password: required('DEMO_ADMIN_PASSWORD'),
      name: 'Demo Admin',
      role: 'admin',
    },
  ];
}
