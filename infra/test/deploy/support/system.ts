import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../src/paths';
import { folderOf, loadServiceConfig, type ServiceConfig } from '../../../src/service-config';

export { folderOf };

export interface SystemService {
  name: string;
  folder: string;
  /** Every variable its config schema reads. */
  known: string[];
  /** The variables without which its config does not parse (no default, not optional). */
  required: string[];
  defaultPort: number;
  readConfig: ServiceConfig['readConfig'];
}

/** The gateway and every service with a composition root, as infra/deploy/lib.sh lists them. */
export function serviceNames(): string[] {
  const services = fs
    .readdirSync(path.join(repoRoot, 'services'))
    .filter((name) => fs.existsSync(path.join(repoRoot, 'services', name, 'src', 'main.ts')))
    .sort();
  return ['gateway', ...services];
}

export async function loadService(name: string): Promise<SystemService> {
  const folder = folderOf(name);
  const { known, required, readConfig } = await loadServiceConfig(name);
  const port = readConfig(minimalEnv(name, required)).PORT;
  return {
    name,
    folder,
    known,
    required,
    defaultPort: Number(port),
    readConfig,
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

export const dockerfilePath = path.join(repoRoot, 'infra', 'deploy', 'image', 'Dockerfile');

/** The port infra/deploy/lib.sh builds an image with (its port_of table). */
export function imagePortOf(name: string): number | undefined {
  const lib = fs.readFileSync(path.join(repoRoot, 'infra', 'deploy', 'lib.sh'), 'utf8');
  const port = new RegExp(`^\\s*${name}\\) echo (\\d+) ;;$`, 'm').exec(lib)?.[1];
  return port === undefined ? undefined : Number(port);
}

/** The env a container of `name` sees from its image: the final stage's ENV, build args filled in. */
export function dockerfileEnv(name: string): Record<string, string> {
  const dockerfile = fs.readFileSync(dockerfilePath, 'utf8');
  const stages = dockerfile.split(/^FROM /m);
  const finalStage = stages[stages.length - 1]!;
  const env: Record<string, string> = {};
  for (const line of finalStage.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, key, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) {
      env[key!] = value!.replace('${PORT}', String(imagePortOf(name)));
    }
  }
  return env;
}
