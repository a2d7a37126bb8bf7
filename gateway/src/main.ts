import { createLogger, installGracefulShutdown } from '@shop/service-kit';
import { readConfig } from './config';
import { startService } from './service';

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const service = await startService(config, { logger });
  installGracefulShutdown({
    logger,
    server: service.server,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    steps: [{ name: 'gateway', run: () => service.stop() }],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
