import net from 'node:net';
import {
  createApp,
  installGracefulShutdown,
  shutdown,
  startServer,
  type ShutdownStep,
} from '../src';
import { capturingLogger } from './support/test-app';
import { deferred } from './support/deferred';

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function startSlowApp() {
  const { logger } = capturingLogger();
  const entered = deferred();
  const release = deferred();
  const app = createApp({
    service: 'test-service',
    logger,
    routes: (express) => {
      express.get('/slow', async (_req, res) => {
        entered.resolve();
        await release.promise;
        res.json({ finished: true });
      });
    },
  });
  const running = await startServer(app, { port: 0 });
  return { ...running, logger, entered, release };
}

describe('graceful shutdown', () => {
  it('when a request is in flight, then it completes, new connections are refused, and the steps run in order after it', async () => {
    const service = await startSlowApp();
    const events: string[] = [];
    const steps: ShutdownStep[] = [
      { name: 'consumers', run: () => void events.push('consumers stopped') },
      { name: 'pool', run: () => Promise.resolve().then(() => void events.push('pool closed')) },
    ];
    const inFlight = fetch(`${service.url}/slow`).then(async (response) => {
      events.push('request answered');
      return { status: response.status, body: await response.json() };
    });
    await service.entered.promise;

    const stopping = shutdown({
      logger: service.logger,
      server: service.server,
      steps,
      timeoutMs: 5000,
    });

    expect(await connectionRefused(service.port)).toBe(true);
    expect(events).toEqual([]);
    service.release.resolve();
    expect(await inFlight).toEqual({ status: 200, body: { finished: true } });
    expect(await stopping).toEqual({
      exitCode: 0,
      timedOut: false,
      failedSteps: [],
      skippedSteps: [],
    });
    expect(events).toEqual(['request answered', 'consumers stopped', 'pool closed']);
  });

  it('when a request outlives the deadline, then its connection is cut, later steps are skipped, and the exit code is 1', async () => {
    const service = await startSlowApp();
    const inFlight = fetch(`${service.url}/slow`).then(
      () => 'answered',
      () => 'connection cut',
    );
    await service.entered.promise;

    const result = await shutdown({
      logger: service.logger,
      server: service.server,
      steps: [{ name: 'pool', run: () => {} }],
      timeoutMs: 100,
    });

    expect(result).toEqual({
      exitCode: 1,
      timedOut: true,
      failedSteps: [],
      skippedSteps: ['pool'],
    });
    expect(await inFlight).toBe('connection cut');
    service.release.resolve();
  });

  it('when a step fails, then the following steps still run and the exit code is 1', async () => {
    const { logger } = capturingLogger();
    const ran: string[] = [];

    const result = await shutdown({
      logger,
      steps: [
        { name: 'consumers', run: () => Promise.reject(new Error('broker gone')) },
        { name: 'pool', run: () => void ran.push('pool') },
      ],
    });

    expect(result).toMatchObject({ exitCode: 1, failedSteps: ['consumers'] });
    expect(ran).toEqual(['pool']);
  });

  it('when the signal arrives, then the shutdown runs once and exits with its code', async () => {
    const { logger } = capturingLogger();
    const exited = deferred<number>();
    const runs: string[] = [];
    // SIGUSR2 stands in for SIGTERM: emitting SIGTERM would also reach the test runner's handlers.
    const graceful = installGracefulShutdown({
      logger,
      signals: ['SIGUSR2'],
      steps: [{ name: 'pool', run: () => void runs.push('pool') }],
      exit: (code) => exited.resolve(code),
    });

    process.emit('SIGUSR2', 'SIGUSR2');

    expect(await exited.promise).toBe(0);
    expect(await graceful.shutdown()).toMatchObject({ exitCode: 0 });
    expect(runs).toEqual(['pool']);
    graceful.uninstall();
  });
});
