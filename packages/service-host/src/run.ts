import {
  createLogger,
  installGracefulShutdown,
  shutDownWhenOrphaned,
  type BaseConfig,
  type Env,
} from '@shop/service-kit';
import type { HostOptions, RunningService } from './host';

/**
 * A service's process: reads its config (a bad one ends the process with every problem listed),
 * starts it, and on SIGTERM or SIGINT drains HTTP and stops it within SHUTDOWN_TIMEOUT_MS. Started
 * by a local runner (SHOP_RUNNER_PID), it does the same once that runner is gone.
 */
export function runService<C extends BaseConfig & { SHUTDOWN_TIMEOUT_MS: number }>(
  start: (config: C, options: HostOptions) => Promise<RunningService>,
  readConfig: (env: Env) => C,
): void {
  const main = async () => {
    const config = readConfig(process.env);
    const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
    const service = await start(config, { logger });
    const graceful = installGracefulShutdown({
      logger,
      server: service.server,
      timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      steps: [{ name: config.SERVICE_NAME, run: () => service.stop() }],
    });
    shutDownWhenOrphaned(process.env.SHOP_RUNNER_PID, (reason) => graceful.shutdown(reason));
  };
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
