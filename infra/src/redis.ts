import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import {
  notReady,
  portInUse,
  runningPid,
  spawnDetached,
  stopProcess,
  waitUntil,
} from './processes';
import type { Toolchain } from './prerequisites';
import type { InfraSecrets } from './secrets';
import type { InfraSettings } from './settings';

const files = (dataDir: string) => {
  const root = path.join(dataDir, 'redis');
  return {
    root,
    conf: path.join(root, 'redis.conf'),
    pid: path.join(root, 'redis.pid'),
    log: path.join(root, 'redis.log'),
  };
};

export function redisUrl(settings: InfraSettings, secrets: InfraSecrets): string {
  return `redis://:${secrets.redisPassword}@${settings.host}:${settings.redisPort}`;
}

async function ping(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {}); // a refused connection while Redis starts is expected; ping() reports it
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } finally {
    client.disconnect();
  }
}

export async function startRedis(
  tools: Toolchain,
  settings: InfraSettings,
  dataDir: string,
  secrets: InfraSecrets,
  log: (line: string) => void,
): Promise<void> {
  const f = files(dataDir);
  if (runningPid(f.pid) !== undefined) {
    log(`redis already running on ${settings.host}:${settings.redisPort}`);
    return;
  }
  if (await portInUse(settings.redisPort)) {
    throw new Error(
      `port ${settings.redisPort} is taken by another process: set SHOP_REDIS_PORT to a free port`,
    );
  }
  fs.mkdirSync(f.root, { recursive: true });
  // The password goes in a 0600 file rather than on the command line, where `ps` would show it.
  const conf = [
    `bind ${settings.host}`,
    `port ${settings.redisPort}`,
    `dir ${f.root}`,
    `requirepass ${secrets.redisPassword}`,
    'appendonly yes',
    'appendfsync everysec',
    'save 60 1000',
    'daemonize no',
    'protected-mode yes',
  ].join('\n');
  fs.writeFileSync(f.conf, `${conf}\n`, { mode: 0o600 });
  spawnDetached(tools.redisServer, [f.conf], { logFile: f.log, pidFile: f.pid, cwd: f.root });
  const url = redisUrl(settings, secrets);
  const ready = await waitUntil(async () => runningPid(f.pid) !== undefined && (await ping(url)), {
    timeoutMs: 30_000,
  });
  if (!ready) throw notReady('redis', f.log, 'no PONG within 30 s');
  log(`redis started on ${settings.host}:${settings.redisPort}`);
}

export async function stopRedis(dataDir: string, log: (line: string) => void): Promise<void> {
  const pid = runningPid(files(dataDir).pid);
  if (pid === undefined) return;
  // SIGTERM makes Redis flush the append-only file before it exits.
  await stopProcess(pid, 15_000);
  log('redis stopped');
}

export const redisRunning = (dataDir: string) => runningPid(files(dataDir).pid) !== undefined;
export const redisLog = (dataDir: string) => files(dataDir).log;
