import type { Server } from 'node:http';
import { announceClosing } from './event-stream';
import type { Logger } from './logger';

export interface ShutdownStep {
  name: string;
  run: () => unknown;
}

export interface ShutdownOptions {
  logger: Logger;
  server?: Server;
  /** Run in order, after HTTP has drained: stop consumers before closing the pools they use. */
  steps?: ShutdownStep[];
  /** Bounds the whole shutdown; past it, connections are destroyed and remaining steps skipped. */
  timeoutMs?: number;
}

export interface ShutdownResult {
  /** 0 when everything finished in time, 1 when the deadline passed or a step failed. */
  exitCode: 0 | 1;
  timedOut: boolean;
  failedSteps: string[];
  skippedSteps: string[];
}

const idleSweepMs = 100;

/**
 * Stops accepting at once and lets in-flight requests finish. Node keeps a keep-alive
 * connection open after its last response even while closing, so idle connections are swept
 * until none is left, and requests that still arrive on one are answered with Connection: close.
 * Resolves false when the deadline forced the remaining connections closed.
 */
function drainServer(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const closeAfterResponse = (
      _req: unknown,
      res: { setHeader(name: string, value: string): void },
    ) => res.setHeader('Connection', 'close');
    const sweep = setInterval(() => server.closeIdleConnections(), idleSweepMs);
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      finish(false);
    }, timeoutMs);
    function finish(drained: boolean): void {
      clearInterval(sweep);
      clearTimeout(deadline);
      server.off('request', closeAfterResponse);
      resolve(drained);
    }
    server.on('request', closeAfterResponse);
    server.close(() => finish(true));
    server.closeIdleConnections();
    announceClosing(server);
  });
}

type StepOutcome = 'done' | 'failed' | 'timed out';

async function runStep(
  step: ShutdownStep,
  timeoutMs: number,
  logger: Logger,
): Promise<StepOutcome> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), timeoutMs);
  });
  const work = Promise.resolve()
    .then(() => step.run())
    .then(
      () => 'done' as const,
      (error: unknown) => {
        logger.error({ err: error, step: step.name }, 'shutdown step failed');
        return 'failed' as const;
      },
    );
  const outcome = await Promise.race([work, deadline]);
  clearTimeout(timer);
  const durationMs = Math.round(performance.now() - started);
  if (outcome === 'done') logger.info({ step: step.name, durationMs }, 'shutdown step done');
  if (outcome === 'timed out')
    logger.error({ step: step.name }, 'shutdown step passed the deadline');
  return outcome;
}

/** The routine the signal handlers run; callable on its own, e.g. from a test. */
export async function shutdown({
  logger,
  server,
  steps = [],
  timeoutMs = 10_000,
}: ShutdownOptions): Promise<ShutdownResult> {
  const deadline = Date.now() + timeoutMs;
  const remaining = () => Math.max(0, deadline - Date.now());
  logger.info({ timeoutMs }, 'shutting down');

  let timedOut = false;
  if (server) {
    const drained = await drainServer(server, remaining());
    if (drained) logger.info('http server drained');
    else logger.error('http requests still running at the deadline; connections destroyed');
    timedOut = !drained;
  }

  const failedSteps: string[] = [];
  const skippedSteps: string[] = [];
  for (const step of steps) {
    if (timedOut) {
      skippedSteps.push(step.name);
      continue;
    }
    const outcome = await runStep(step, remaining(), logger);
    if (outcome === 'failed') failedSteps.push(step.name);
    if (outcome === 'timed out') timedOut = true;
  }

  const exitCode = timedOut || failedSteps.length > 0 ? 1 : 0;
  const result: ShutdownResult = { exitCode, timedOut, failedSteps, skippedSteps };
  logger[exitCode === 0 ? 'info' : 'error'](result, 'shutdown finished');
  return result;
}

export interface GracefulShutdownOptions extends ShutdownOptions {
  signals?: NodeJS.Signals[];
  /** process.exit unless replaced. */
  exit?: (code: number) => void;
}

export interface GracefulShutdown {
  /** Runs the shutdown once, however often it is called, and exits with its code. */
  shutdown(reason?: string): Promise<ShutdownResult>;
  uninstall(): void;
}

/**
 * SIGTERM (Kubernetes, the supervisor) and SIGINT (Ctrl-C) start a graceful shutdown; a second
 * signal while it runs exits at once, for whoever is tired of waiting.
 */
export function installGracefulShutdown({
  signals = ['SIGTERM', 'SIGINT'],
  exit = (code) => process.exit(code),
  ...options
}: GracefulShutdownOptions): GracefulShutdown {
  let running: Promise<ShutdownResult> | undefined;

  const start = (reason = 'requested'): Promise<ShutdownResult> => {
    running ??= (async () => {
      options.logger.info({ reason }, 'shutdown requested');
      const result = await shutdown(options);
      exit(result.exitCode);
      return result;
    })();
    return running;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (running) {
      options.logger.warn({ signal }, 'second signal during shutdown; exiting now');
      exit(1);
      return;
    }
    void start(signal);
  };

  for (const signal of signals) process.on(signal, onSignal);
  return {
    shutdown: start,
    uninstall: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
