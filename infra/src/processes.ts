import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this OS user (PostgreSQL refuses to run as root). */
  asUser?: string | undefined;
  input?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly output: string,
    cause: unknown,
  ) {
    super(`${command} failed:\n${output}`, { cause });
    this.name = 'CommandError';
  }
}

function withUser(command: string, args: string[], asUser?: string): [string, string[]] {
  return asUser ? ['runuser', ['-u', asUser, '--', command, ...args]] : [command, args];
}

/** Runs a command to completion and returns its output; a non-zero exit throws with the output. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, fileArgs] = withUser(command, args, options.asUser);
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      fileArgs,
      { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new CommandError([command, ...args].join(' '), `${stdout}${stderr}`, error));
        else resolve({ stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export async function commandExists(command: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a long-running process in its own process group, detached from ours, with its output
 * appended to a log file, and records its pid: it outlives the command that started it.
 */
export function spawnDetached(
  command: string,
  args: string[],
  options: { logFile: string; pidFile: string; cwd?: string; env?: NodeJS.ProcessEnv },
): number {
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  child.unref();
  fs.writeFileSync(options.pidFile, `${child.pid}\n`);
  return child.pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readPid(pidFile: string): number | undefined {
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The pid from the file if that process still runs, else undefined. */
export function runningPid(pidFile: string): number | undefined {
  const pid = readPid(pidFile);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

/** SIGTERM, then SIGKILL if the process has not exited within the grace period. */
export async function stopProcess(pid: number, graceMs: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const exited = await waitUntil(() => !isAlive(pid), { timeoutMs: graceMs, intervalMs: 100 });
  if (!exited && isAlive(pid)) process.kill(pid, 'SIGKILL');
  await waitUntil(() => !isAlive(pid), { timeoutMs: 5_000, intervalMs: 50 });
}

/** Polls a condition until it holds or the deadline passes; returns whether it held. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs, intervalMs = 200 }: { timeoutMs: number; intervalMs?: number },
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return true;
    } catch {
      // not yet: a refused connection is the usual answer while a server starts
    }
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function tail(file: string, lines = 40): string {
  if (!fs.existsSync(file)) return `(no log at ${file})`;
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** An error for a component that did not become ready, carrying the end of its log. */
export function notReady(component: string, logFile: string, why: string): Error {
  return new Error(
    `${component} did not become ready: ${why}\n--- last lines of ${logFile} ---\n${tail(logFile)}`,
  );
}
