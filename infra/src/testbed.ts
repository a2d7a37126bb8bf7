import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generateSigningKey } from '@shop/auth';
import { startTestIssuer, type TestIssuer } from '@shop/auth/testing';
import { createKafka, createTopicNamespace, deleteTopicNamespace } from '@shop/messaging';
import { createScratchDatabase, type ScratchDatabase } from '@shop/postgres/testing';
import pino from 'pino';
import { cleanUpOnInterrupt } from './interrupt-cleanup';
import { processNames, type ProcessName } from './service-process';
import { startSmtpCatcher, type SmtpCatcher } from './smtp-catcher';
import { ensureInfrastructure } from './stack';
import {
  processControl,
  superviseAll,
  type ProcessControl,
  type ServiceStart,
  type Supervised,
} from './supervisor';

/** Services that own a database get a scratch one in a testbed, never their real one. */
const ownsDatabase = new Set<ProcessName>([
  'identity',
  'catalog',
  'inventory',
  'order',
  'payment',
  'notification',
]);

export type TestbedEnv = Partial<Record<ProcessName, Record<string, string>>>;

export interface Customer {
  id: string;
  email: string;
  token: string;
}

export interface Testbed extends ProcessControl {
  /** The services in the bed, in the order they were started. */
  names: ProcessName[];
  url(name: ProcessName): string;
  /** Kills a service's process; its supervisor starts it again, as Kubernetes would. */
  kill(name: ProcessName, signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** An admin token (identity's demo admin, or the test issuer when identity is not in the bed). */
  adminToken(): Promise<string>;
  /** Identity's demo admin, for a test that logs in as one (a browser). */
  demoAdmin: { email: string; password: string };
  /** A new customer: registered through identity, or a token of the test issuer. */
  newCustomer(): Promise<Customer>;
  /** Where notification's emails land, when notification is in the bed. */
  mail: SmtpCatcher | undefined;
  topicPrefix: string;
  logDir: string;
  stop(): Promise<void>;
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

/** Free ports, no two alike (each is free when chosen; the service binds it moments later). */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * Services of the system as real, supervised processes on free loopback ports, each with a
 * scratch database, its own consumer group and a private copy of every Kafka topic: what
 * cross-service tests, chaos experiments and benchmarks run against, leaving `npm start`'s data
 * alone. With identity in the bed, identity signs the tokens every service verifies; without
 * it, a test issuer does.
 */
export async function startTestbed(
  names: ProcessName[],
  extraEnv: TestbedEnv = {},
): Promise<Testbed> {
  const infra = await ensureInfrastructure({ quiet: true });
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-testbed-'));
  const topicPrefix = `t-bed-${run}.`;
  const kafka = createKafka({
    brokers: infra.KAFKA_BROKERS!.split(','),
    clientId: `testbed-${run}`,
    logger: pino({ level: 'silent' }),
  });
  await createTopicNamespace(kafka, topicPrefix, 3);

  const withIdentity = names.includes('identity');
  const issuer: TestIssuer | undefined = withIdentity ? undefined : await startTestIssuer();
  const demoAdmin = { email: `admin-${run}@shop.test`, password: randomBytes(12).toString('hex') };
  const mail = names.includes('notification') ? await startSmtpCatcher({ port: 0 }) : undefined;
  const databases: ScratchDatabase[] = [];
  const supervised = new Map<ProcessName, Supervised>();
  const urls = new Map<ProcessName, string>();

  let stopped: Promise<void> | undefined;
  // Once, whoever asks first: the test's afterAll, or an interrupt while the bed runs.
  const stop = () =>
    (stopped ??= (async () => {
      releaseOnInterrupt();
      await Promise.all([...supervised.values()].map((service) => service.stop()));
      await Promise.all(databases.map((database) => database.drop()));
      await issuer?.close();
      await mail?.close();
      await deleteTopicNamespace(kafka, topicPrefix);
      if (!process.env.SHOP_KEEP_TESTBED_LOGS) fs.rmSync(logDir, { recursive: true, force: true });
    })());
  const releaseOnInterrupt = cleanUpOnInterrupt(stop);

  const tokenSettings = withIdentity
    ? { JWT_ISSUER: 'shop-identity', JWT_AUDIENCE: 'shop' }
    : { JWT_ISSUER: issuer!.issuer, JWT_AUDIENCE: issuer!.audience, JWKS_URL: issuer!.jwksUrl };

  try {
    const chosen = processNames.filter((n) => names.includes(n));
    const ports = await distinctFreePorts(chosen.length);
    chosen.forEach((name, i) => urls.set(name, `http://127.0.0.1:${ports[i]}`));
    // All settle before a failure is thrown, and each is remembered the moment it exists, so
    // that stop() drops every one that was created even when another's creation failed.
    const created = await Promise.allSettled(
      chosen.map(async (name) => {
        if (!ownsDatabase.has(name)) return undefined;
        const database = await createScratchDatabase(infra.POSTGRES_ADMIN_URL!);
        databases.push(database);
        return database;
      }),
    );
    const scratch = created.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });
    const starts: ServiceStart[] = [];
    for (const [i, name] of chosen.entries()) {
      const port = String(ports[i]);
      const env: Record<string, string> = {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        PORT: port,
        KAFKA_BROKERS: infra.KAFKA_BROKERS!,
        KAFKA_CONSUMER_GROUP: `${name}-testbed-${run}`,
        // The gateway reports the lag of the groups above (its table knows the service names).
        KAFKA_CONSUMER_GROUP_SUFFIX: `-testbed-${run}`,
        KAFKA_TOPIC_PREFIX: topicPrefix,
        REDIS_URL: infra.REDIS_URL!,
        DEMO_DATA: 'false',
        ...tokenSettings,
        ...(withIdentity && name !== 'identity'
          ? { JWKS_URL: `${urls.get('identity')}/api/auth/jwks.json` }
          : {}),
        // Every service before it in the list is reachable by its URL (CATALOG_URL, CART_URL, …).
        ...Object.fromEntries(
          chosen.slice(0, i).map((other) => [`${other.toUpperCase()}_URL`, urls.get(other)!]),
        ),
      };
      const database = scratch[i];
      if (database) env.DATABASE_URL = database.url;
      if (name === 'identity') {
        Object.assign(env, {
          JWT_PRIVATE_JWK: JSON.stringify(await generateSigningKey()),
          DEMO_DATA: 'true',
          DEMO_ADMIN_EMAIL: demoAdmin.email,
          DEMO_ADMIN_PASSWORD: demoAdmin.password,
          DEMO_CUSTOMER_EMAIL: `customer-${run}@shop.test`,
          DEMO_CUSTOMER_PASSWORD: randomBytes(12).toString('hex'),
        });
      }
      if (name === 'notification' && mail) {
        Object.assign(env, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(mail.port) });
      }
      if (name === 'cart') env.CART_KEY_PREFIX = `cart-testbed-${run}:`;
      if (name === 'gateway') {
        // Every simulated customer comes from 127.0.0.1: the per-address limits would measure
        // the limiter, not the system (the gateway's own tests prove the limits).
        Object.assign(env, {
          RATE_LIMIT_PREFIX: `ratelimit-testbed-${run}:`,
          RATE_LIMIT_PER_IP: '1000000',
          RATE_LIMIT_PER_USER: '1000000',
          RATE_LIMIT_AUTH: '1000000',
          // Functional tests share two cores with a whole system and a test runner, so the
          // gateway's loop and its upstreams fall behind now and then; shedding there would be
          // 503s no test is about. The gate's own tests, the chaos bed and the benchmarks turn it on.
          SHED_NEW_WORK: 'false',
        });
      }
      Object.assign(env, extraEnv[name]);
      starts.push({ name, env, logFile: path.join(logDir, `${name}.log`) });
    }
    for (const service of await superviseAll(starts, () => {})) {
      supervised.set(service.name, service);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const current = (name: ProcessName): Supervised => {
    const service = supervised.get(name);
    if (!service) throw new Error(`${name} is not part of this testbed`);
    return service;
  };

  const control = processControl(supervised);
  return {
    names: [...supervised.keys()],
    url(name) {
      const url = urls.get(name);
      if (!url) throw new Error(`${name} is not part of this testbed`);
      return url;
    },
    ...control,
    async kill(name, signal = 'SIGKILL') {
      await current(name).current()?.stop(signal);
    },
    demoAdmin,
    async adminToken() {
      if (issuer) return issuer.tokenFor('admin');
      const answer = (await postJson(`${urls.get('identity')}/api/auth/login`, demoAdmin)) as {
        token: string;
      };
      return answer.token;
    },
    async newCustomer() {
      if (issuer) {
        const id = randomUUID();
        return {
          id,
          email: `customer-${id.slice(0, 8)}@example.test`,
          token: await issuer.tokenFor('customer', id),
        };
      }
      const email = `customer-${randomUUID().slice(0, 12)}@example.test`;
      const answer = (await postJson(`${urls.get('identity')}/api/auth/register`, {
        email,
        password: randomBytes(12).toString('hex'),
        name: 'Test Customer',
      })) as { token: string; user: { id: string } };
      return { id: answer.user.id, email, token: answer.token };
    },
    mail,
    topicPrefix,
    logDir,
    stop,
  };
}
