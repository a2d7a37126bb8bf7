import path from 'node:path';
import { topics } from '@shop/contracts';
import { defineService, type HostOptions } from '@shop/service-host';
import type { Config } from './config';
import type { CardProcessor } from './domain/card-processor';
import { simulatedCardProcessor } from './domain/simulated-processor';
import { paymentRoutes } from './http/payment-routes';
import { paymentHandlers } from './messaging/handlers';
import { recordAfterInbox } from './messaging/record-after';

export interface ServiceOptions extends HostOptions {
  /** Replaces the simulated processor built from the PROCESSOR_* settings. */
  processor?: CardProcessor;
}

const migrationsDir = path.join(__dirname, '..', 'migrations');

/** Charges and refunds cards for the saga, each payment command applied once. */
export const startService = defineService<Config, ServiceOptions>(async (host, options) => {
  const { config, logger } = host;
  const pool = await host.postgres(migrationsDir);
  await host.outbox(pool);
  const processor =
    options.processor ??
    simulatedCardProcessor({
      latencyMs: config.PROCESSOR_LATENCY,
      failureRate: config.PROCESSOR_FAILURE_RATE,
    });
  await host.consume({
    topics: [topics.paymentCommands],
    handlers: paymentHandlers({
      processor,
      retryPolicy: {
        retries: config.PROCESSOR_RETRIES,
        baseDelayMs: config.PROCESSOR_RETRY_BASE,
        maxDelayMs: config.PROCESSOR_RETRY_MAX,
      },
      logger,
    }),
    // The card is charged outside any transaction, so the inbox is written after the charge.
    inbox: recordAfterInbox(pool),
  });
  return host.app(paymentRoutes(pool, host.verifier()));
});

export type { RunningService } from '@shop/service-host';
