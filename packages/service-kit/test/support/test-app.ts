import type { Express } from 'express';
import {
  createApp,
  createLogger,
  startServer,
  type AppOptions,
  type Logger,
  type RunningServer,
} from '../../src';

export interface LogLine {
  level: string;
  msg?: string;
  requestId?: string;
  traceId?: string;
  [key: string]: unknown;
}

/** A logger whose lines land in an array, so a test can read what was logged. */
export function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger({
    service: 'test-service',
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  });
  return { logger, lines };
}

export interface TestApp extends RunningServer {
  lines: LogLine[];
}

const running = new Set<RunningServer>();

/** Starts an app on a free port; `closeTestApps` in afterEach stops every one started. */
export async function startTestApp(
  routes: (app: Express, logger: Logger) => void,
  options: Partial<Omit<AppOptions, 'routes'>> = {},
): Promise<TestApp> {
  const { logger, lines } = capturingLogger();
  const app = createApp({
    service: 'test-service',
    logger,
    routes: (express) => routes(express, logger),
    ...options,
  });
  const server = await startServer(app, { port: 0 });
  running.add(server);
  return { ...server, lines };
}

export async function closeTestApps(): Promise<void> {
  const servers = [...running];
  running.clear();
  await Promise.all(servers.map((server) => server.close()));
}
