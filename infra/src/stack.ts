import fs from 'node:fs';
import path from 'node:path';
import { dataDir, infraEnvFile } from './paths';
import { ensureTopics, kafkaBrokers, kafkaLog, kafkaRunning, startKafka, stopKafka } from './kafka';
import { sweepLeftovers } from './leftovers';
import { withLock } from './lock';
import {
  adminUrl,
  localSocketDir,
  postgresLog,
  postgresRoot,
  postgresRunning,
  serviceUrl,
  startPostgres,
  stopPostgres,
} from './postgres';
import { ensureToolchain } from './prerequisites';
import { portInUse } from './processes';
import { redisLog, redisRunning, redisUrl, startRedis, stopRedis } from './redis';
import { loadOrCreateSecrets } from './secrets';
import { databaseOwners, readSettings } from './settings';
import { requiredTopics } from './topics';

export interface InfraOptions {
  quiet?: boolean;
}

const logger = (quiet?: boolean) => (line: string) => {
  if (!quiet) console.log(`infra: ${line}`);
};

/** The environment the services and the tests connect with. */
export function infraEnvironment(): Record<string, string> {
  const settings = readSettings();
  const secrets = loadOrCreateSecrets(dataDir);
  const socketDir = localSocketDir(dataDir, settings.postgresPort);
  return {
    POSTGRES_ADMIN_URL: adminUrl(settings, secrets, socketDir),
    ...Object.fromEntries(
      databaseOwners.map((owner) => [
        `DATABASE_URL_${owner.toUpperCase()}`,
        serviceUrl(settings, secrets, owner, socketDir),
      ]),
    ),
    REDIS_URL: redisUrl(settings, secrets),
    KAFKA_BROKERS: kafkaBrokers(settings),
  };
}

async function alreadyUp(): Promise<boolean> {
  const settings = readSettings();
  return (
    fs.existsSync(infraEnvFile) &&
    redisRunning(dataDir) &&
    kafkaRunning(dataDir) &&
    (await portInUse(settings.postgresPort))
  );
}

/**
 * Brings PostgreSQL, Redis and Kafka up (idempotently: what already runs is found and kept),
 * provisions databases, roles and topics, and writes the connection settings to the data folder.
 */
export async function ensureInfrastructure(
  options: InfraOptions = {},
): Promise<Record<string, string>> {
  const log = logger(options.quiet);
  if (await alreadyUp()) {
    log('already running: postgres, redis, kafka');
    return withLock(path.join(dataDir, 'infra.lock'), async () => {
      // A checkout newer than the running broker may need a topic it lacks (creates only those).
      await ensureTopics(readSettings(), requiredTopics(), log);
      const env = infraEnvironment();
      await sweepLeftovers(sweepTargets(env), log);
      return env;
    });
  }
  return withLock(path.join(dataDir, 'infra.lock'), async () => {
    const settings = readSettings();
    const tools = await ensureToolchain(log);
    const secrets = loadOrCreateSecrets(dataDir);
    await Promise.all([
      startPostgres(tools, settings, dataDir, secrets, log),
      startRedis(tools, settings, dataDir, secrets, log),
      startKafka(tools, settings, dataDir, log),
    ]);
    await ensureTopics(settings, requiredTopics(), log);
    const env = infraEnvironment();
    await sweepLeftovers(sweepTargets(env), log);
    fs.writeFileSync(infraEnvFile, JSON.stringify(env, null, 2), { mode: 0o600 });
    return env;
  });
}

function sweepTargets(env: Record<string, string>) {
  return {
    kafkaBrokers: env.KAFKA_BROKERS!,
    postgresAdminUrl: env.POSTGRES_ADMIN_URL!,
    contractTopics: requiredTopics(),
  };
}

export async function stopInfrastructure(options: InfraOptions = {}): Promise<void> {
  const log = logger(options.quiet);
  await withLock(path.join(dataDir, 'infra.lock'), async () => {
    const tools = await ensureToolchain(log);
    fs.rmSync(infraEnvFile, { force: true });
    // Kafka first: its clients (our services) are gone by now, and it shuts down slowest.
    await Promise.all([
      stopKafka(dataDir, log),
      stopRedis(dataDir, log),
      stopPostgres(tools, dataDir, log),
    ]);
  });
}

/** Stops everything and deletes all data (databases, topics, keys) and generated secrets. */
export async function resetInfrastructure(options: InfraOptions = {}): Promise<void> {
  const log = logger(options.quiet);
  await stopInfrastructure(options);
  const tools = await ensureToolchain(log);
  const pgRoot = await postgresRoot(dataDir, tools);
  // Outside the data folder (see postgres.ts) the cluster sits in a folder of its own.
  fs.rmSync(pgRoot.startsWith(dataDir) ? pgRoot : path.dirname(pgRoot), {
    recursive: true,
    force: true,
  });
  fs.rmSync(dataDir, { recursive: true, force: true });
  log(`wiped ${dataDir}${pgRoot.startsWith(dataDir) ? '' : ` and ${pgRoot}`}`);
}

export interface ComponentStatus {
  component: 'postgres' | 'redis' | 'kafka';
  running: boolean;
  endpoint: string;
  log: string;
}

export async function infrastructureStatus(): Promise<ComponentStatus[]> {
  const settings = readSettings();
  const tools = await ensureToolchain(() => {});
  return [
    {
      component: 'postgres',
      running: await postgresRunning(tools, dataDir),
      endpoint: `${settings.host}:${settings.postgresPort}`,
      log: await postgresLog(tools, dataDir),
    },
    {
      component: 'redis',
      running: redisRunning(dataDir),
      endpoint: `${settings.host}:${settings.redisPort}`,
      log: redisLog(dataDir),
    },
    {
      component: 'kafka',
      running: kafkaRunning(dataDir),
      endpoint: kafkaBrokers(settings),
      log: kafkaLog(dataDir),
    },
  ];
}
