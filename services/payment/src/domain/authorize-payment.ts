import { randomUUID } from 'node:crypto';
import type { PayloadOf } from '@shop/contracts';
import type { Logger } from '@shop/service-kit';
import {
  findPaymentByOrder,
  insertPaymentOnce,
  type NewPayment,
  type Payment,
} from '../data/payments';
import { announce, type Cause, type Outgoing } from '../messaging/emit';
import type { PaymentUnit } from '../messaging/record-after';
import type { CardProcessor } from './card-processor';
import { chargeCard, type ChargeOutcome, type RetryPolicy } from './charge-card';

export type AuthorizePaymentCommand = PayloadOf<'AuthorizePayment'>;
export type AuthorizationReply = Outgoing<'PaymentAuthorized' | 'PaymentDeclined'>;

export interface AuthorizationDeps {
  processor: CardProcessor;
  retryPolicy: RetryPolicy;
  logger: Logger;
}

/**
 * Authorizes the order's amount once, and answers the saga with the outcome.
 *
 * Idempotent per order, not per message: the saga re-sends AuthorizePayment with a new message id
 * on its deadline. A copy that finds the order's payment repeats its answer (the same paymentId)
 * without calling the processor; two copies racing past that check both call the processor (with
 * the order id as idempotency key), and the unique payments(order_id) keeps the first answer.
 */
export async function authorizePayment(
  unit: PaymentUnit,
  command: AuthorizePaymentCommand,
  { processor, retryPolicy, logger }: AuthorizationDeps,
  cause: Cause,
): Promise<AuthorizationReply> {
  const known = await findPaymentByOrder(unit.pool, command.orderId);
  if (known) warnIfDifferent(known, command, logger);
  const decided =
    known ??
    paymentOf(
      command,
      await chargeCard(
        processor,
        {
          idempotencyKey: command.orderId,
          paymentToken: command.paymentToken,
          amountCents: command.amountCents,
          currency: command.currency,
        },
        retryPolicy,
        logger,
      ),
    );
  return unit.record(async (tx) => {
    const payment = await insertPaymentOnce(tx, decided);
    return announce(tx, replyFor(payment), cause);
  });
}

function paymentOf(command: AuthorizePaymentCommand, outcome: ChargeOutcome): NewPayment {
  const common = {
    id: randomUUID(),
    orderId: command.orderId,
    customerId: command.customerId,
    amountCents: command.amountCents,
    currency: command.currency,
    attempts: outcome.attempts,
  };
  switch (outcome.status) {
    case 'approved':
      return {
        ...common,
        status: 'AUTHORIZED',
        declineReason: null,
        authorizationCode: outcome.authorizationCode,
      };
    case 'declined':
      return {
        ...common,
        status: 'DECLINED',
        declineReason: outcome.reason,
        authorizationCode: null,
      };
    case 'unavailable':
      return {
        ...common,
        status: 'DECLINED',
        declineReason: 'PAYMENT_UNAVAILABLE',
        authorizationCode: null,
      };
  }
}

export function replyFor(payment: Payment): AuthorizationReply {
  const { orderId } = payment;
  if (payment.status === 'AUTHORIZED') {
    return {
      type: 'PaymentAuthorized',
      payload: {
        orderId,
        paymentId: payment.id,
        amountCents: payment.amountCents,
        currency: payment.currency,
      },
    };
  }
  return { type: 'PaymentDeclined', payload: { orderId, reason: payment.declineReason! } };
}

/** The order's amount never changes; a re-sent command that says otherwise is worth a look. */
function warnIfDifferent(payment: Payment, command: AuthorizePaymentCommand, logger: Logger): void {
  if (payment.amountCents !== command.amountCents || payment.currency !== command.currency) {
    logger.warn(
      {
        orderId: payment.orderId,
        stored: { amountCents: payment.amountCents, currency: payment.currency },
        requested: { amountCents: command.amountCents, currency: command.currency },
      },
      'AuthorizePayment repeated with a different amount; answering with the stored payment',
    );
  }
}
