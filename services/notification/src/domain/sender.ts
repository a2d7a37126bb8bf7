import {
  backoffDelay,
  startWorkerLoop,
  type Backoff,
  type Pool,
  type RoundResult,
} from '@shop/postgres';
import type { Logger } from '@shop/service-kit';
import {
  claimDueNotifications,
  markFailed,
  markSent,
  msUntilNextDue,
  pendingChannel,
  releaseClaims,
  scheduleRetry,
  type ClaimedNotification,
} from '../data/notifications';
import { isPermanentSmtpFailure, messageIdFor, type Mailer } from '../mail/smtp-mailer';
import { renderNotification } from './render';

export interface SenderOptions {
  pool: Pool;
  mailer: Mailer;
  logger: Logger;
  from: string;
  /** Retries after the first attempt; then the notification is FAILED. */
  retries: number;
  backoff: Backoff;
  pollIntervalMs: number;
  batchSize?: number;
}

export interface RunningSender {
  /** Finishes the message being sent, then lets go of its connection. */
  stop(): Promise<void>;
}

/**
 * Longer than any send can take (the mailer's timeouts add up to well under it): a claimed
 * notification is someone else's to retry only once its sender must have died.
 */
const leaseMs = 120_000;

/**
 * Delivers PENDING notifications: insert PENDING (the consumer, committed) → send → mark SENT.
 * SMTP offers no exactly-once: a crash between the send and the mark re-sends after the lease,
 * with the same Message-ID (derived from the notification id), so the receiving side can dedupe.
 * Each notification has its own backoff; after `retries` it is FAILED, and a 5xx reply fails it
 * at once. FAILED ones are not retried automatically (see the README for re-queueing them).
 */
export function startSender(options: SenderOptions): RunningSender {
  const { pool, mailer, from, retries, backoff } = options;
  const logger = options.logger.child({ component: 'sender' });
  const batchSize = options.batchSize ?? 20;

  async function deliver(notification: ClaimedNotification): Promise<void> {
    const message = renderNotification(notification.details, notification);
    try {
      await mailer.send({
        to: notification.email,
        subject: message.subject,
        text: message.body,
        messageId: messageIdFor(notification.id, from),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (isPermanentSmtpFailure(error) || notification.attempts > retries) {
        logger.error({ err: error, notificationId: notification.id }, 'notification FAILED');
        return markFailed(pool, notification.id, message, reason);
      }
      const delayMs = backoffDelay(notification.attempts, backoff);
      logger.warn(
        { err: error, notificationId: notification.id, attempt: notification.attempts, delayMs },
        'sending failed; will retry',
      );
      return scheduleRetry(pool, notification.id, message, { delayMs, error: reason });
    }
    await markSent(pool, notification.id, message);
    logger.info({ notificationId: notification.id, kind: notification.details.kind }, 'sent');
  }

  /** Sends what is due; says how long to wait before looking again. */
  async function round(stopping: AbortSignal): Promise<RoundResult> {
    const claimed = await claimDueNotifications(pool, { limit: batchSize, leaseMs });
    for (const [index, notification] of claimed.entries()) {
      if (stopping.aborted) {
        await releaseClaims(
          pool,
          claimed.slice(index).map((unsent) => unsent.id),
        );
        return 'more';
      }
      await deliver(notification);
    }
    if (claimed.length === batchSize) return 'more';
    // Nothing pending is no due time at all: sleep the whole poll interval (or until nudged).
    const nextDueMs = await msUntilNextDue(pool);
    return nextDueMs === undefined ? 'idle' : { idleMs: nextDueMs };
  }

  const loop = startWorkerLoop({
    name: 'sender',
    logger,
    round,
    idleMs: options.pollIntervalMs,
    wakeOn: { pool, channel: pendingChannel },
  });
  return { stop: () => loop.stop() };
}
