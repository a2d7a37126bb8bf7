import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '@shop/service-kit';
import type { AuthorizationResult, CardDeclineReason, CardProcessor } from './card-processor';

export interface SimulationSettings {
  /** How long each call takes. */
  latencyMs: number;
  /** The fraction (0..1) of calls that would be approved but fail transiently instead. */
  failureRate: number;
  random?: () => number;
}

/** The test tokens of API.md; any other well-formed token is an unknown card and is declined. */
const declinedTokens: Record<string, CardDeclineReason> = {
  tok_chargeDeclined: 'PAYMENT_DECLINED',
  tok_insufficientFunds: 'INSUFFICIENT_FUNDS',
};
const approvedTokens = new Set(['tok_visa', 'tok_mastercard']);
const failingToken = 'tok_processingError';

/**
 * A card processor in the style of Stripe's test mode: the token decides the answer. Stateless, so
 * repeating a call is harmless here; a real processor gets the idempotency key for that.
 */
export function simulatedCardProcessor({
  latencyMs,
  failureRate,
  random = Math.random,
}: SimulationSettings): CardProcessor {
  return {
    async authorize({ paymentToken }): Promise<AuthorizationResult> {
      if (latencyMs > 0) await delay(latencyMs);
      if (paymentToken === failingToken) throw processingError();
      const declineReason = declinedTokens[paymentToken];
      if (declineReason !== undefined) return { status: 'declined', reason: declineReason };
      if (!approvedTokens.has(paymentToken))
        return { status: 'declined', reason: 'PAYMENT_DECLINED' };
      if (failureRate > 0 && random() < failureRate) throw processingError();
      return { status: 'approved', authorizationCode: authorizationCode() };
    },
  };
}

function processingError(): AppError {
  return new AppError('UPSTREAM_UNAVAILABLE', 'card processor: processing error, try again');
}

/** Six characters, as card networks print them on a receipt. */
function authorizationCode(): string {
  return randomBytes(3).toString('hex').toUpperCase();
}
