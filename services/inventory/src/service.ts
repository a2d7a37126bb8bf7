import path from 'node:path';
import { topics } from '@shop/contracts';
import { defineService, type HostOptions } from '@shop/service-host';
import type { Config } from './config';
import { startExpirySweeper } from './domain/expiry-sweeper';
import { inventoryRoutes } from './http/inventory-routes';
import { inventoryHandlers } from './messaging/handlers';

export const migrationsDir = path.join(__dirname, '..', 'migrations');

/** Stock per product: reserves, commits and releases it for the saga; publishes its levels. */
export const startService = defineService<Config, HostOptions>(async (host) => {
  const { config, logger } = host;
  const pool = await host.postgres(migrationsDir);
  await host.outbox(pool);
  host.worker(
    'reservation expiry sweeper',
    startExpirySweeper({ pool, intervalMs: config.RESERVATION_SWEEP_INTERVAL, logger }),
  );
  await host.consume({
    topics: [topics.catalogEvents, topics.inventoryCommands],
    handlers: inventoryHandlers({ reservationTtlMs: config.RESERVATION_TTL, logger }),
    pool,
  });
  return host.app(inventoryRoutes({ pool, verifier: host.verifier() }));
});

export type { RunningService } from '@shop/service-host';
