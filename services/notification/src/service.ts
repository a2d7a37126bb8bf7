import path from 'node:path';
import { topics } from '@shop/contracts';
import { defineService, type HostOptions } from '@shop/service-host';
import type { Config } from './config';
import { startSender } from './domain/sender';
import { notificationRoutes } from './http/notification-routes';
import { createSmtpMailer } from './mail/smtp-mailer';
import { notificationHandlers } from './messaging/handlers';

const migrationsDir = path.join(__dirname, '..', 'migrations');

/** Records a notification per event it cares about, then sends it by email with retries. */
export const startService = defineService<Config, HostOptions>(async (host) => {
  const { config, logger } = host;
  const pool = await host.postgres(migrationsDir);
  // Notification emits nothing today; the relay keeps the outbox drained should it ever enqueue.
  await host.outbox(pool);
  const mailer = createSmtpMailer({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    from: config.SMTP_FROM,
  });
  host.onStop('smtp mailer', () => mailer.close());
  host.worker(
    'email sender',
    startSender({
      pool,
      mailer,
      logger,
      from: config.SMTP_FROM,
      retries: config.SEND_RETRIES,
      backoff: { baseMs: config.SEND_RETRY_BASE, maxMs: config.SEND_RETRY_MAX },
      pollIntervalMs: config.SEND_POLL_INTERVAL,
    }),
  );
  await host.consume({
    topics: [topics.identityEvents, topics.orderEvents],
    handlers: notificationHandlers(),
    pool,
  });
  return host.app(notificationRoutes(pool, host.verifier()));
});

export type { RunningService } from '@shop/service-host';
