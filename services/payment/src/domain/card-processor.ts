import type { PaymentDeclineReason } from '@shop/contracts';

export interface AuthorizationRequest {
  /**
   * The order id. A real processor is given it as its idempotency key (Stripe's
   * `Idempotency-Key`), so a call repeated after a crash cannot place a second hold on the card.
   */
  idempotencyKey: string;
  paymentToken: string;
  amountCents: number;
  currency: string;
}

/** What a processor can decline with; PAYMENT_UNAVAILABLE is ours to conclude, never its answer. */
export type CardDeclineReason = Exclude<PaymentDeclineReason, 'PAYMENT_UNAVAILABLE'>;

export type AuthorizationResult =
  | { status: 'approved'; authorizationCode: string }
  | { status: 'declined'; reason: CardDeclineReason };

/**
 * The card processor, behind the one call payment needs. A transient failure (the processor is
 * down, overloaded, timed out) is thrown as an error judged retriable by `isTransient` of
 * @shop/resilience, i.e. an `AppError('UPSTREAM_UNAVAILABLE')`; a decline is an answer, not an error.
 */
export interface CardProcessor {
  authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
}
