import { startServiceProcess, type ProcessName, type ServiceProcess } from './service-process';

export interface Supervised {
  name: ProcessName;
  current(): ServiceProcess | undefined;
  restarts(): number;
  /** Kills the process and keeps it down (an outage longer than a restart) until `resume()`. */
  suspend(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  resume(): void;
  stop(): Promise<void>;
}

const maxBackoffMs = 10_000;

/**
 * Keeps one service running the way Kubernetes would: when its process dies (a crash, or a
 * chaos experiment's SIGKILL) it is started again after a short, growing delay; `stop()` ends it
 * for good with SIGTERM so it shuts down gracefully.
 */
export async function supervise(
  name: ProcessName,
  env: Record<string, string>,
  logFile: string,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<Supervised> {
  let process: ServiceProcess | undefined = await startServiceProcess({
    name,
    env,
    logFile,
    signal,
  });
  let stopping = false;
  let suspended: (() => void) | undefined;
  let restarts = 0;
  /** The restart under way, which `stop()` waits for: it must not leave a process behind. */
  let restarting: Promise<void> = Promise.resolve();

  const watch = (running: ServiceProcess) => {
    restarting = running.exited.then(async (code) => {
      if (stopping) return;
      process = undefined;
      if (suspended) await new Promise<void>((resolve) => (suspended = resolve));
      if (stopping) return;
      let delay = 500;
      for (;;) {
        log(`${name} exited (code ${code ?? 'signal'}); restarting in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (stopping) return;
        try {
          const started = await startServiceProcess({ name, env, logFile });
          if (stopping) {
            await started.stop('SIGTERM');
            return;
          }
          process = started;
          restarts += 1;
          log(`${name} is back (pid ${process.pid})`);
          watch(process);
          return;
        } catch (error) {
          log(`${name} failed to restart: ${(error as Error).message.split('\n')[0]}`);
          delay = Math.min(delay * 2, maxBackoffMs);
        }
      }
    });
  };
  watch(process);

  const resume = () => {
    const release = suspended;
    suspended = undefined;
    release?.();
  };

  return {
    name,
    current: () => process,
    restarts: () => restarts,
    async suspend(signal = 'SIGKILL') {
      suspended = () => {};
      await process?.stop(signal);
    },
    resume,
    async stop() {
      stopping = true;
      resume();
      await process?.stop('SIGTERM');
      await restarting;
    },
  };
}

export interface ServiceStart {
  name: ProcessName;
  env: Record<string, string>;
  logFile: string;
}

/**
 * Starts services side by side and resolves once every one is ready, in the order given. None
 * waits for another: a service reaches the others by URL when a request needs them, and its
 * readiness is its own database, broker and cache. If one fails to start (or `signal` aborts the
 * start), those that did are stopped again before the first failure is thrown, so nothing is
 * left running.
 */
export async function superviseAll(
  starts: ServiceStart[],
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<Supervised[]> {
  const results = await Promise.allSettled(
    starts.map(({ name, env, logFile }) => supervise(name, env, logFile, log, signal)),
  );
  const started = results.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(started.map((service) => service.stop()));
    throw failure.reason;
  }
  return started;
}

/** A set of supervised services, by name: what chaos experiments kill, hold down and await. */
export interface ProcessControl {
  /** The running process of a service (a new one after a restart). */
  process(name: ProcessName): ServiceProcess;
  /** Takes a service down until `resume` (its supervisor waits instead of restarting it). */
  suspend(name: ProcessName): Promise<void>;
  resume(name: ProcessName): void;
  /** Resolves once a killed service is back and ready. */
  whenBack(name: ProcessName, timeoutMs?: number): Promise<ServiceProcess>;
}

export function processControl(supervised: ReadonlyMap<ProcessName, Supervised>): ProcessControl {
  const service = (name: ProcessName): Supervised => {
    const found = supervised.get(name);
    if (!found) throw new Error(`${name} is not running here`);
    return found;
  };
  return {
    process(name) {
      const running = service(name).current();
      if (!running) throw new Error(`${name} is not running right now`);
      return running;
    },
    suspend: (name) => service(name).suspend(),
    resume: (name) => service(name).resume(),
    async whenBack(name, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const running = service(name).current();
        if (running) return running;
        if (Date.now() > deadline)
          throw new Error(`${name} did not come back within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}
