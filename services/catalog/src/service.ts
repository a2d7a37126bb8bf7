import path from 'node:path';
import { topics, type CreateProductInput } from '@shop/contracts';
import { statementInbox } from '@shop/messaging';
import { defineService, type HostOptions } from '@shop/service-host';
import type { Config } from './config';
import { seedDemoProducts } from './domain/demo-data';
import { productRoutes } from './http/product-routes';
import { onStockLevelChanged } from './messaging/stock-levels';
import { demoProducts } from './seed/demo-products';

export interface ServiceOptions extends HostOptions {
  /** The demo catalog when DEMO_DATA=true; tests may load their own. */
  demoProducts?: readonly CreateProductInput[];
}

const migrationsDir = path.join(__dirname, '..', 'migrations');

/** Products and prices; keeps a read model of inventory's stock levels for browsing. */
export const startService = defineService<Config, ServiceOptions>(async (host, options) => {
  const { config, logger } = host;
  const pool = await host.postgres(migrationsDir);
  await host.outbox(pool);
  await host.consume({
    name: `${config.SERVICE_NAME}-stock-levels`,
    topics: [topics.inventoryStockLevels],
    handlers: {
      StockLevelChanged: (message, statement) => onStockLevelChanged(message, statement, logger),
    },
    // Each level is one UPDATE: it and its inbox row go in one statement, not a transaction.
    inbox: statementInbox(pool),
  });
  if (config.DEMO_DATA) {
    await seedDemoProducts({ pool }, options.demoProducts ?? demoProducts, logger);
  }
  return host.app(productRoutes({ pool }, host.verifier()));
});

export type { RunningService } from '@shop/service-host';
