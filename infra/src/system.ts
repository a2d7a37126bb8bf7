import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PrivateSigningJwk } from '@shop/auth';
import { checkEnvironment, overridesFrom } from './overrides';
import { dataDir, repoRoot } from './paths';
import { defaultPorts, processNames, type ProcessName } from './service-process';
import { startSmtpCatcher, type SmtpCatcher } from './smtp-catcher';
import { cleanUpOnInterrupt } from './interrupt-cleanup';
import { ensureInfrastructure, stopInfrastructure } from './stack';
import type { ChaosControl } from './chaos/control-server';
import type { LatencyProxy } from './chaos/latency-proxy';
import { processControl, superviseAll, type ServiceStart, type Supervised } from './supervisor';

export const logsDir = path.join(dataDir, 'logs');
const url = (name: ProcessName) => `http://127.0.0.1:${defaultPorts[name]}`;
const smtpPort = Number(process.env.SHOP_SMTP_PORT ?? 28025);
const smtpViewPort = Number(process.env.SHOP_SMTP_VIEW_PORT ?? 28026);
/**
 * `SHOP_CHAOS=on npm start`: the operations console may run the chaos experiments against this
 * system (the native development mode; nothing else ever enables it). The catalog's callers then
 * reach it through a latency proxy, for the slow-catalog experiment.
 */
const chaosEnabled = process.env.SHOP_CHAOS === 'on';
const chaosPort = Number(process.env.SHOP_CHAOS_PORT ?? 28090);

interface SystemSecrets {
  jwtPrivateJwk: PrivateSigningJwk;
  demoCustomer: { email: string; password: string };
  demoAdmin: { email: string; password: string };
}

/** Generated on the first start and kept in the data folder (0600), like the infra passwords. */
async function loadOrCreateSystemSecrets(): Promise<SystemSecrets> {
  const file = path.join(dataDir, 'system-secrets.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as SystemSecrets;
  const password = () => randomBytes(9).toString('base64url');
  const { generateSigningKey } = await import('@shop/auth');
  const secrets: SystemSecrets = {
    jwtPrivateJwk: await generateSigningKey(),
    demoCustomer: { email: 'customer@shop.test', password: password() },
    demoAdmin: { email: 'admin@shop.test', password: password() },
  };
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function availableProcesses(): ProcessName[] {
  return processNames.filter((name) => {
    const folder = name === 'gateway' ? 'gateway' : path.join('services', name);
    return fs.existsSync(path.join(repoRoot, folder, 'src', 'main.ts'));
  });
}

interface Wiring {
  /** Where the catalog's callers reach it: the catalog itself, or the chaos latency proxy. */
  catalogUrl: string;
  chaosUrl: string | undefined;
}

/** Each process's environment: only what its config schema reads. */
function environmentOf(
  name: ProcessName,
  infra: Record<string, string>,
  secrets: SystemSecrets,
  wiring: Wiring,
) {
  const common = {
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    PORT: String(defaultPorts[name]),
    KAFKA_BROKERS: infra.KAFKA_BROKERS!,
    JWKS_URL: `${url('identity')}/api/auth/jwks.json`,
    JWT_ISSUER: 'shop-identity',
    JWT_AUDIENCE: 'shop',
    DEMO_DATA: process.env.DEMO_DATA ?? 'true',
  };
  const database = (owner: string) => ({
    DATABASE_URL: infra[`DATABASE_URL_${owner.toUpperCase()}`]!,
  });
  const specific: Record<ProcessName, Record<string, string>> = {
    identity: {
      ...database('identity'),
      JWT_PRIVATE_JWK: JSON.stringify(secrets.jwtPrivateJwk),
      DEMO_CUSTOMER_EMAIL: secrets.demoCustomer.email,
      DEMO_CUSTOMER_PASSWORD: secrets.demoCustomer.password,
      DEMO_ADMIN_EMAIL: secrets.demoAdmin.email,
      DEMO_ADMIN_PASSWORD: secrets.demoAdmin.password,
    },
    catalog: database('catalog'),
    inventory: database('inventory'),
    payment: database('payment'),
    notification: {
      ...database('notification'),
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      SMTP_FROM: 'shop <no-reply@shop.test>',
    },
    cart: { REDIS_URL: infra.REDIS_URL!, CATALOG_URL: wiring.catalogUrl },
    order: { ...database('order'), CART_URL: url('cart'), CATALOG_URL: wiring.catalogUrl },
    gateway: {
      REDIS_URL: infra.REDIS_URL!,
      ...Object.fromEntries(
        processNames
          .filter((other) => other !== 'gateway')
          .map((other) => [`${other.toUpperCase()}_URL`, url(other)]),
      ),
      CATALOG_URL: wiring.catalogUrl,
      ...(wiring.chaosUrl ? { CHAOS_URL: wiring.chaosUrl } : {}),
    },
  };
  return { ...common, ...specific[name] };
}

export interface RunningSystem {
  processes: Supervised[];
  /** Where notification's emails land in local runs (an SMTP server with a JSON view). */
  mail: SmtpCatcher;
  secrets: SystemSecrets;
  /** With SHOP_CHAOS=on: where the console's chaos requests go. */
  chaosUrl: string | undefined;
  stop(options?: { keepInfrastructure?: boolean }): Promise<void>;
}

export async function startSystem(log: (line: string) => void): Promise<RunningSystem> {
  // Settings from the caller (SHOP_<PROCESS>__<VARIABLE>) are checked before anything starts.
  const overrides = await overridesFrom(process.env, availableProcesses());
  const processes: Supervised[] = [];
  const starting = new AbortController();
  let mail: SmtpCatcher | undefined;
  let catalogProxy: LatencyProxy | undefined;
  let chaosControl: ChaosControl | undefined;
  const stop = async ({ keepInfrastructure = false } = {}) => {
    starting.abort();
    await chaosControl?.close();
    await Promise.all(processes.map((process) => process.stop()));
    await catalogProxy?.close();
    await mail?.close();
    if (!keepInfrastructure) await stopInfrastructure();
  };
  // Ctrl-C while it starts stops what has started, the infrastructure included, as it does once
  // everything runs: the services still starting are killed, those ready stopped.
  const releaseOnInterrupt = cleanUpOnInterrupt(() => stop());
  try {
    const infra = await ensureInfrastructure();
    const secrets = await loadOrCreateSystemSecrets();
    fs.mkdirSync(logsDir, { recursive: true });
    const catcher = await startSmtpCatcher({ port: smtpPort, httpPort: smtpViewPort });
    mail = catcher;
    if (chaosEnabled) {
      const { startLatencyProxy } = await import('./chaos/latency-proxy.js');
      catalogProxy = await startLatencyProxy();
      catalogProxy.setTarget(url('catalog'));
    }
    const wiring: Wiring = {
      catalogUrl: catalogProxy?.url ?? url('catalog'),
      chaosUrl: chaosEnabled ? `http://127.0.0.1:${chaosPort}` : undefined,
    };
    const starts: ServiceStart[] = [];
    for (const name of availableProcesses()) {
      const env = { ...environmentOf(name, infra, secrets, wiring), ...overrides[name] };
      await checkEnvironment(name, env);
      for (const variable of Object.keys(overrides[name] ?? {})) {
        log(`${name}: ${variable} set by SHOP_${name.toUpperCase()}__${variable}`);
      }
      log(`starting ${name} on ${url(name)}`);
      starts.push({ name, env, logFile: path.join(logsDir, `${name}.log`) });
    }
    processes.push(...(await superviseAll(starts, log, starting.signal)));
    if (catalogProxy) {
      const { experiments } = await import('./chaos/index.js');
      const { startChaosControl } = await import('./chaos/control-server.js');
      chaosControl = await startChaosControl({
        port: chaosPort,
        experiments,
        target: {
          gatewayUrl: url('gateway'),
          adminToken: async () => {
            const response = await fetch(`${url('identity')}/api/auth/login`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(secrets.demoAdmin),
            });
            return ((await response.json()) as { token: string }).token;
          },
          mail: { messages: () => Promise.resolve(catcher.messages()) },
          faults: {
            bed: processControl(new Map(processes.map((process) => [process.name, process]))),
            catalogProxy,
          },
        },
      });
      log(`chaos: on (the console's Chaos panel; control on ${chaosControl.url})`);
    }
    return { processes, mail: catcher, secrets, chaosUrl: chaosControl?.url, stop };
  } catch (error) {
    // Cut short by Ctrl-C, the interrupt's own stop is already under way.
    if (!starting.signal.aborted) await stop({ keepInfrastructure: true });
    throw error;
  } finally {
    releaseOnInterrupt();
  }
}

export function summary(system: RunningSystem): string {
  const names = system.processes.map((process) => process.name);
  const missing = processNames.filter((name) => !names.includes(name));
  const entry = names.includes('gateway') ? url('gateway') : undefined;
  const lines = [
    '',
    'shop is running.',
    ...system.processes.map(
      (process) =>
        `  ${process.name.padEnd(13)} ${url(process.name)}   log: ${path.join(logsDir, `${process.name}.log`)}`,
    ),
    '',
    ...(entry
      ? [
          `Point a client at ${entry}  (API docs: ${entry}/api/docs)`,
          `Storefront:    ${entry}/`,
          `Operations:    ${entry}/ops  (as the demo admin)`,
        ]
      : ['No gateway yet: call the services directly on the ports above.']),
    `Demo customer: ${system.secrets.demoCustomer.email} / ${system.secrets.demoCustomer.password}`,
    `Demo admin:    ${system.secrets.demoAdmin.email} / ${system.secrets.demoAdmin.password}`,
    `Emails sent:   ${system.mail.httpUrl ?? '(no view)'}/messages  (SMTP catcher on 127.0.0.1:${system.mail.port})`,
    system.chaosUrl
      ? 'Chaos:         on: the console runs the experiments (SHOP_CHAOS=on)'
      : 'Chaos:         off (SHOP_CHAOS=on npm start lets the console run experiments)',
    '',
    `Try:  curl -s '${entry ?? url('catalog')}/api/products?search=jacket&pageSize=3'`,
    '      pnpm demo      (a whole checkout through the gateway, told step by step)',
  ];
  if (missing.length > 0) lines.push('', `Not built yet: ${missing.join(', ')}.`);
  lines.push('', 'Ctrl-C stops the services and the infrastructure.');
  return lines.join('\n');
}
