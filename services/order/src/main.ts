import { installGracefulShutdown } from '@shop/service-kit';
import { readConfig } from './config';
import { startService } from './service';

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const service = await startService(config);
  installGracefulShutdown({
    logger: service.logger,
    server: service.server,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    steps: [{ name: 'order', run: () => service.stop() }],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
