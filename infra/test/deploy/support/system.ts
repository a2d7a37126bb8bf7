import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../src/paths';

/** What a test needs of a zod schema, without tying it to the services' zod instance. */
interface SchemaLike {
  safeParse(value: unknown): { success: boolean };
}
interface ObjectSchemaLike extends SchemaLike {
  shape: Record<string, SchemaLike>;
}

interface ConfigModule {
  configSchema: SchemaLike;
  readConfig(env: Record<string, string | undefined>): Record<string, unknown>;
}

export interface SystemService {
  name: string;
  folder: string;
  /** Every variable its config schema reads. */
  known: string[];
  /** The variables without which its config does not parse (no default, not optional). */
  required: string[];
  defaultPort: number;
  readConfig: ConfigModule['readConfig'];
}

/** The gateway and every service with a composition root, as infra/deploy/lib.sh lists them. */
export function serviceNames(): string[] {
  const services = fs
    .readdirSync(path.join(repoRoot, 'services'))
    .filter((name) => fs.existsSync(path.join(repoRoot, 'services', name, 'src', 'main.ts')))
    .sort();
  return ['gateway', ...services];
}

export const folderOf = (name: string) =>
  path.join(repoRoot, name === 'gateway' ? 'gateway' : path.join('services', name));

/** A `.transform()` wraps the object schema in a pipe; its input side is the object. */
function objectSchemaOf(schema: SchemaLike): ObjectSchemaLike {
  let current: unknown = schema;
  for (let depth = 0; depth < 5; depth += 1) {
    if (current && typeof current === 'object' && 'shape' in current) {
      return current as ObjectSchemaLike;
    }
    current = (current as { in?: unknown }).in;
  }
  throw new Error('config schema is not an object schema (or a transform of one)');
}

export async function loadService(name: string): Promise<SystemService> {
  const folder = folderOf(name);
  const config = (await import(path.join(folder, 'src', 'config.ts'))) as ConfigModule;
  const { shape } = objectSchemaOf(config.configSchema);
  const known = Object.keys(shape).sort();
  const required = known.filter((key) => !shape[key]!.safeParse(undefined).success);
  const port = config.readConfig(minimalEnv(name, required)).PORT;
  return {
    name,
    folder,
    known,
    required,
    defaultPort: Number(port),
    readConfig: config.readConfig,
  };
}

/** Enough to read a schema's default port: any syntactically valid value for each required key. */
function minimalEnv(name: string, required: string[]): Record<string, string> {
  const sample: Record<string, string> = {
    DATABASE_URL: 'postgres://u:p@h:5432/d',
    REDIS_URL: 'redis://h:6379',
    KAFKA_BROKERS: 'h:9092',
    JWT_ISSUER: 'i',
    JWT_AUDIENCE: 'a',
    SMTP_HOST: 'h',
    SMTP_PORT: '25',
    JWT_PRIVATE_JWK: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'x', d: 'd', kid: 'k' }),
  };
  return Object.fromEntries(
    required.map((key) => [key, sample[key] ?? (key.endsWith('_URL') ? 'http://h:1' : 'x')]),
  );
}

export function loadServices(): Promise<SystemService[]> {
  return Promise.all(serviceNames().map(loadService));
}

/** The stores and brokers a variable means, as the deployments name them. */
const infrastructureOf: Record<string, { target: string; port: number }> = {
  DATABASE_URL: { target: 'postgres', port: 5432 },
  REDIS_URL: { target: 'redis', port: 6379 },
  KAFKA_BROKERS: { target: 'kafka', port: 9092 },
  SMTP_HOST: { target: 'mailpit', port: 1025 },
};

/**
 * Whom a service calls, read from its config schema: its stores (DATABASE_URL, REDIS_URL,
 * KAFKA_BROKERS, SMTP_HOST), every other service it has a <NAME>_URL for, and identity when it
 * verifies tokens through JWKS_URL.
 */
export function callsOf(service: SystemService, all: SystemService[]): string[] {
  const byPort = new Map(all.map((other) => [other.name, other.defaultPort]));
  const calls = new Set<string>();
  for (const key of service.known) {
    const infrastructure = infrastructureOf[key];
    if (infrastructure) calls.add(`${infrastructure.target}:${infrastructure.port}`);
    const called = /^([A-Z]+)_URL$/.exec(key)?.[1]?.toLowerCase();
    if (called && called !== service.name && byPort.has(called)) {
      calls.add(`${called}:${byPort.get(called)}`);
    }
    if (key === 'JWKS_URL') calls.add(`identity:${byPort.get('identity')}`);
  }
  return [...calls].sort();
}

/** The env a container sees: the image's ENV, then what the deployment sets. */
export function dockerfileEnv(name: string): Record<string, string> {
  const dockerfile = fs.readFileSync(path.join(folderOf(name), 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m);
  const finalStage = stages[stages.length - 1]!;
  const env: Record<string, string> = {};
  for (const line of finalStage.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, key, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[key!] = value!;
  }
  return env;
}
