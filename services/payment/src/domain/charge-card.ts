import { isTransient, retryWithJitter } from '@shop/resilience';
import type { Logger } from '@shop/service-kit';
import type { AuthorizationRequest, AuthorizationResult, CardProcessor } from './card-processor';

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The processor's last word, or `unavailable` once every attempt failed transiently. */
export type ChargeOutcome = (AuthorizationResult | { status: 'unavailable' }) & {
  /** Calls made to the processor. */
  attempts: number;
};

/**
 * Asks the processor, retrying transient failures with exponential backoff and full jitter, at
 * most `retries` times; then gives up with `unavailable` (reported as PAYMENT_UNAVAILABLE).
 * Retrying is safe because the call carries the order id as its idempotency key. An error that
 * is not transient (a bug) propagates: the message is then retried by the consumer or
 * dead-lettered, rather than declining a customer for our own fault.
 */
export async function chargeCard(
  processor: CardProcessor,
  request: AuthorizationRequest,
  policy: RetryPolicy,
  logger: Logger,
): Promise<ChargeOutcome> {
  let attempts = 0;
  try {
    const result = await retryWithJitter(
      () => {
        attempts += 1;
        return processor.authorize(request);
      },
      {
        ...policy,
        onRetry: ({ error, attempt, delayMs }) =>
          logger.warn(
            { err: error, orderId: request.idempotencyKey, attempt, delayMs },
            'card processor failed transiently; retrying',
          ),
      },
    );
    return { ...result, attempts };
  } catch (error) {
    if (!isTransient(error)) throw error;
    logger.warn(
      { err: error, orderId: request.idempotencyKey, attempts },
      'card processor kept failing; payment unavailable',
    );
    return { status: 'unavailable', attempts };
  }
}
