import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { portInUse, waitUntil } from '../src/processes';
import { defaultPorts } from '../src/service-process';

const exec = promisify(execFile);
const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * `npm start` as a user runs it in a terminal, on a private infrastructure (own data folder and
 * ports) so that stopping it cannot disturb the instance the other tests use. The services keep
 * their fixed ports (8080–8087), as `npm start` prints them.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-start-stop-'));
const env = {
  ...process.env,
  SHOP_DATA_DIR: dataDir,
  SHOP_PG_PORT: '25632',
  SHOP_REDIS_PORT: '26579',
  SHOP_KAFKA_PORT: '29292',
  SHOP_KAFKA_CONTROLLER_PORT: '29293',
  SHOP_KAFKA_HEAP: '256m',
  SHOP_SMTP_PORT: '28125',
  SHOP_SMTP_VIEW_PORT: '28126',
  LOG_LEVEL: 'warn',
};
const servicePorts: number[] = Object.values(defaultPorts);
const infrastructurePorts = [env.SHOP_PG_PORT, env.SHOP_REDIS_PORT, env.SHOP_KAFKA_PORT].map(
  Number,
);

/**
 * Every process whose command line names the private data folder (Kafka's does; PostgreSQL's may
 * live elsewhere when its OS user cannot enter a private temp folder, and Redis renames itself):
 * the ports are the main check, this one catches a process that stopped listening but lives on.
 */
async function infrastructureProcesses(): Promise<string[]> {
  const { stdout } = await exec('ps', ['-eww', '-o', 'pid=,args=']);
  return stdout
    .split('\n')
    .filter((line) => line.includes(dataDir))
    .map((line) => line.trim());
}

async function listening(ports = servicePorts): Promise<number[]> {
  const open = await Promise.all(ports.map((port) => portInUse(port)));
  return ports.filter((_, index) => open[index]);
}

let started: ChildProcess | undefined;

/** Started like a terminal's foreground job: a process group of its own, signalled as a whole. */
function startShop(): { child: ChildProcess; output: () => string } {
  const child = spawn('bash', ['infra/bin/shop', 'start'], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started = child;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

afterAll(async () => {
  // Whatever a failed run left behind: the runner asked to stop, then the runner's own command.
  if (started?.exitCode === null && started.signalCode === null) {
    const exited = new Promise((resolve) => started!.once('exit', resolve));
    process.kill(-started.pid!, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 60_000))]);
  }
  await exec('bash', ['infra/bin/shop', 'infra', 'reset'], { cwd: repoRoot, env }).catch(() => {});
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

/** What reaches the runner's process group, as a terminal or a process manager sends it. */
const stops: Record<string, (group: number, shop: ReturnType<typeof startShop>) => Promise<void>> =
  {
    // What a terminal does on Ctrl-C (SIGINT to its foreground group), then what closing it
    // does: SIGHUP to the group, and every later write to it failing.
    'Ctrl-C reaches the terminal and the terminal then closes': async (group, shop) => {
      process.kill(-group, 'SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 200));
      process.kill(-group, 'SIGHUP');
      shop.child.stdout!.destroy();
      shop.child.stderr!.destroy();
    },
    // What `kill -TERM -<pgid>`, a process manager or a container runtime sends.
    'SIGTERM reaches the whole process group': (group) => {
      process.kill(-group, 'SIGTERM');
      return Promise.resolve();
    },
  };

/** `npm start` on a machine where nothing of it runs yet, until its output shows `line`. */
async function startShopUntil(line: string, intervalMs: number) {
  expect({
    alreadyListening: await listening([...servicePorts, ...infrastructurePorts]),
  }).toEqual({ alreadyListening: [] });
  const shop = startShop();
  const exited = new Promise<number | null>((resolve) => shop.child.once('exit', resolve));
  const seen = await waitUntil(() => shop.output().includes(line), {
    timeoutMs: 240_000,
    intervalMs,
  });
  if (!seen) throw new Error(`npm start never printed "${line}":\n${shop.output()}`);
  return { shop, exited };
}

async function expectNothingLeftRunning() {
  expect(await listening()).toEqual([]);
  expect(await listening(infrastructurePorts)).toEqual([]);
  expect(await infrastructureProcesses()).toEqual([]);
}

test.each(Object.keys(stops))(
  'when %s, then every service, PostgreSQL, Redis and Kafka are stopped',
  async (how) => {
    const { shop, exited } = await startShopUntil('Ctrl-C stops', 500);
    expect(await listening()).toEqual(servicePorts);
    expect(await listening(infrastructurePorts)).toEqual(infrastructurePorts);

    await stops[how]!(shop.child.pid!, shop);

    expect(await exited).toBe(0);
    await expectNothingLeftRunning();
  },
  420_000,
);

test('when Ctrl-C reaches npm start while its services are still starting, then what it started is stopped, the infrastructure included', async () => {
  const { shop, exited } = await startShopUntil('starting gateway', 20);

  process.kill(-shop.child.pid!, 'SIGINT');

  expect(await exited).toBe(130);
  expect(shop.output()).not.toContain('shop is running');
  await expectNothingLeftRunning();
}, 420_000);
