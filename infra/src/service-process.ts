import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureCompiled } from './compiled';
import { repoRoot } from './paths';
import { tail, waitUntil } from './processes';

/** The default port of each process of the system (service READMEs and config agree). */
export const defaultPorts = {
  gateway: 8080,
  identity: 8081,
  catalog: 8082,
  cart: 8083,
  order: 8084,
  inventory: 8085,
  payment: 8086,
  notification: 8087,
} as const;
export type ProcessName = keyof typeof defaultPorts;

/**
 * Every process of the system, callees before their callers: each is given the URLs of those
 * before it (cart the catalog's, order the cart's, the gateway everyone's). They start side by
 * side, since none needs another to be ready. The one list; the rest derive from it.
 */
export const processNames: readonly ProcessName[] = [
  'identity',
  'catalog',
  'inventory',
  'payment',
  'notification',
  'cart',
  'order',
  'gateway',
];

export interface ServiceProcess {
  name: ProcessName;
  url: string;
  pid: number;
  logFile: string;
  /** SIGTERM (graceful) or SIGKILL (a crash), then wait for the exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  exited: Promise<number | null>;
}

export interface StartOptions {
  name: ProcessName;
  env: Record<string, string>;
  logFile: string;
  readyTimeoutMs?: number;
  /** Aborted while the service is still starting: it is killed (SIGTERM) and the start fails. */
  signal?: AbortSignal;
}

/**
 * How node runs a service, natively and in its image (the Dockerfile's CMD says the same):
 * - "shop-compiled" resolves every @shop/* package to its compiled dist/;
 * - a young generation of 4 MiB semi-spaces instead of V8's 16 MiB. Every service's heap grows
 *   its young generation to the full 16 MiB while it loads its modules and keeps it resident;
 *   at 4 MiB an idle service holds ~47 MiB instead of ~68, for about 2 ms more garbage
 *   collection per checkout across the eight processes (docs/performance.md).
 */
export const nodeFlags = [
  '--conditions=shop-compiled',
  '--enable-source-maps',
  '--max-semi-space-size=4',
] as const;

/**
 * Natively, the bundle of the compiled dist/main.js and everything it imports (infra/bundle.mjs):
 * one file to read and compile instead of ~1,150, ~0.3 s less CPU per start. The images run
 * dist/main.js itself (docs/decisions/0007).
 */
function entryPoint(name: ProcessName): string {
  const folder = name === 'gateway' ? 'gateway' : path.join('services', name);
  return path.join(repoRoot, folder, 'dist', 'main.bundle.js');
}

async function isReady(url: string): Promise<boolean> {
  const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
  return response.status === 200;
}

/**
 * Runs one service as its own Node process (the bundle of its compiled dist/main.js, every
 * @shop/* package resolved to its dist/ by the "shop-compiled" condition, as in the images), the
 * way the native runner, the chaos experiments and the cross-service tests do, and waits until
 * /health/ready says 200.
 */
export async function startServiceProcess(options: StartOptions): Promise<ServiceProcess> {
  await ensureCompiled();
  const port = options.env.PORT ?? String(defaultPorts[options.name]);
  const url = `http://127.0.0.1:${port}`;
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'a');
  // NODE_ARGS: flags for node itself that NODE_OPTIONS refuses (the profiler's --cpu-prof).
  const { NODE_ARGS: nodeArgs = '', ...env } = options.env;
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs.split(' ').filter(Boolean), ...nodeFlags, entryPoint(options.name)],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SERVICE_NAME: options.name,
        PORT: port,
        // The service shuts itself down if this process dies without stopping it (orphan-watch).
        SHOP_RUNNER_PID: String(process.pid),
        ...env,
      },
      stdio: ['ignore', log, log],
      // A process group of its own: Ctrl-C in the terminal reaches only the runner, which stops
      // every service in order, instead of each dying at once and its supervisor restarting it.
      detached: true,
    },
  );
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${options.name}`);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  // Until it is ready, an abort ends it; from then on its `stop` does.
  const cancel = () => child.kill('SIGTERM');
  options.signal?.addEventListener('abort', cancel, { once: true });
  if (options.signal?.aborted) cancel();
  const ready = await waitUntil(
    async () => hasExited || options.signal?.aborted === true || (await isReady(url)),
    { timeoutMs: options.readyTimeoutMs ?? 120_000, intervalMs: 100 },
  ).finally(() => options.signal?.removeEventListener('abort', cancel));
  if (options.signal?.aborted) {
    await exited;
    throw new Error(`${options.name}: start cancelled`);
  }
  if (!ready || hasExited) {
    child.kill('SIGKILL');
    throw new Error(
      `${options.name} ${hasExited ? 'exited during start-up' : 'did not become ready'}\n` +
        `--- last lines of ${options.logFile} ---\n${tail(options.logFile)}`,
    );
  }

  return {
    name: options.name,
    url,
    pid: child.pid,
    logFile: options.logFile,
    exited,
    async stop(signal = 'SIGTERM') {
      if (hasExited) return;
      child.kill(signal);
      await exited;
    },
  };
}
