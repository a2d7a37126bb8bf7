import path from 'node:path';
import { topics } from '@shop/contracts';
import { defineService, type HostOptions } from '@shop/service-host';
import type { Config } from './config';
import { listenForOrderChanges } from './data/order-changes';
import { startAdmission } from './domain/admission';
import { startSagaTimer } from './domain/saga-timer';
import { StepLatency } from './domain/step-latency';
import { orderRoutes } from './http/order-routes';
import { orderHandlers } from './messaging/handlers';

export const migrationsDir = path.join(__dirname, '..', 'migrations');

/** Orders and the checkout saga: it commands inventory and payment and follows their replies. */
export const startService = defineService<Config, HostOptions>(async (host) => {
  const { config, logger } = host;
  const settings = {
    stepTimeoutMs: config.STEP_TIMEOUT,
    maxSends: config.STEP_MAX_SENDS,
    sagaTimeoutMs: config.SAGA_TIMEOUT,
  };
  const stepLatency = new StepLatency();
  const pool = await host.postgres(migrationsDir);
  const changes = listenForOrderChanges({
    databaseUrl: config.DATABASE_URL,
    serviceName: config.SERVICE_NAME,
    logger,
  });
  host.onStop('order change listener', () => changes.close());
  await host.outbox(pool);
  await host.consume({
    topics: [topics.inventoryEvents, topics.paymentEvents],
    handlers: orderHandlers({ settings, logger, stepLatency }),
    pool,
  });
  host.worker(
    'saga timer',
    startSagaTimer({
      pool,
      settings,
      tickMs: config.SAGA_TICK,
      keyRetentionMs: config.IDEMPOTENCY_KEY_RETENTION,
      logger,
      stepLatency,
    }),
  );
  const admission = config.ADMISSION_CONTROL
    ? host.worker(
        'admission',
        startAdmission({
          pool,
          logger,
          registry: host.metrics(),
          settings: {
            targetLatencyMs: config.ADMISSION_TARGET_LATENCY,
            minLimit: config.ADMISSION_MIN_LIMIT,
            maxLimit: config.ADMISSION_MAX_LIMIT,
            windowMs: config.ADMISSION_WINDOW,
            refreshMs: config.ADMISSION_REFRESH,
          },
        }),
      )
    : undefined;
  return host.app(
    orderRoutes({
      admissionView: admission && (() => admission.view()),
      admission,
      changes,
      logger,
      pool,
      verifier: host.verifier(),
      cart: host.httpClient({
        name: 'cart',
        baseUrl: config.CART_URL,
        timeoutMs: config.CART_TIMEOUT,
      }),
      catalog: host.httpClient({
        name: 'catalog',
        baseUrl: config.CATALOG_URL,
        timeoutMs: config.CATALOG_TIMEOUT,
      }),
      settings,
      maxOpenUnitsPerProduct: config.MAX_OPEN_UNITS_PER_PRODUCT,
    }),
  );
});

export type { RunningService } from '@shop/service-host';
