import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { startTestIssuer, type TestIssuer } from '@shop/auth/testing';
import { createKafka, createTopicNamespace, deleteTopicNamespace } from '@shop/messaging';
import { createScratchDatabase, type ScratchDatabase } from '@shop/postgres/testing';
import pino from 'pino';
import { ensureInfrastructure } from './stack';
import { startServiceProcess, type ProcessName, type ServiceProcess } from './service-process';

/** Services that own a database get a scratch one in a testbed, never their real one. */
const ownsDatabase = new Set<ProcessName>([
  'identity',
  'catalog',
  'inventory',
  'order',
  'payment',
  'notification',
]);

export interface Testbed {
  issuer: TestIssuer;
  services: Partial<Record<ProcessName, ServiceProcess>>;
  url(name: ProcessName): string;
  logDir: string;
  stop(): Promise<void>;
}

/** The gateway of a testbed routes to the services started before it. */
function gatewayEnv(services: Testbed['services'], run: string): Record<string, string> {
  return {
    ...Object.fromEntries(
      Object.values(services).map((service) => [`${service.name.toUpperCase()}_URL`, service.url]),
    ),
    RATE_LIMIT_PREFIX: `ratelimit-testbed-${run}:`,
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Some services of the system as real processes on free loopback ports, each with a scratch
 * database, a fresh consumer group and a test token issuer: what cross-service tests and
 * benchmarks run against, leaving the databases of `npm start` alone.
 */
export async function startTestbed(
  names: ProcessName[],
  extraEnv: Partial<Record<ProcessName, Record<string, string>>> = {},
): Promise<Testbed> {
  const infra = await ensureInfrastructure({ quiet: true });
  const issuer = await startTestIssuer();
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-testbed-'));
  const databases: ScratchDatabase[] = [];
  const services: Testbed['services'] = {};
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  // A private copy of every topic: the testbed neither sees nor answers other tests' messages.
  const topicPrefix = `t-bed-${run}.`;
  const kafka = createKafka({
    brokers: infra.KAFKA_BROKERS!.split(','),
    clientId: `testbed-${run}`,
    logger: pino({ level: 'silent' }),
  });
  await createTopicNamespace(kafka, topicPrefix, 3);

  const stop = async () => {
    await Promise.all(Object.values(services).map((service) => service.stop('SIGTERM')));
    await Promise.all(databases.map((database) => database.drop()));
    await issuer.close();
    await deleteTopicNamespace(kafka, topicPrefix);
    if (!process.env.SHOP_KEEP_TESTBED_LOGS) fs.rmSync(logDir, { recursive: true, force: true });
  };

  try {
    for (const name of names) {
      const env: Record<string, string> = {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        PORT: String(await freePort()),
        KAFKA_BROKERS: infra.KAFKA_BROKERS!,
        KAFKA_CONSUMER_GROUP: `${name}-testbed-${run}`,
        KAFKA_TOPIC_PREFIX: topicPrefix,
        REDIS_URL: infra.REDIS_URL!,
        JWKS_URL: issuer.jwksUrl,
        JWT_ISSUER: issuer.issuer,
        JWT_AUDIENCE: issuer.audience,
        DEMO_DATA: 'false',
        ...(name === 'gateway' ? gatewayEnv(services, run) : {}),
        ...extraEnv[name],
      };
      if (ownsDatabase.has(name)) {
        const database = await createScratchDatabase(infra.POSTGRES_ADMIN_URL!);
        databases.push(database);
        env.DATABASE_URL = database.url;
      }
      services[name] = await startServiceProcess({
        name,
        env,
        logFile: path.join(logDir, `${name}.log`),
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    issuer,
    services,
    logDir,
    url(name) {
      const service = services[name];
      if (!service) throw new Error(`${name} is not part of this testbed`);
      return service.url;
    },
    stop,
  };
}
