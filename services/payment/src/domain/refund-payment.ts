import { randomUUID } from 'node:crypto';
import type { PayloadOf } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import { AppError, type Logger } from '@shop/service-kit';
import { lockPaymentByOrder, type Payment } from '../data/payments';
import { insertRefundOnce } from '../data/refunds';
import { announce, type Cause, type Outgoing } from '../messaging/emit';

export type RefundPaymentCommand = PayloadOf<'RefundPayment'>;

/**
 * Refunds the order's authorized payment once, and answers with PaymentRefunded.
 *
 * Idempotent per order: the unique refunds(payment_id) keeps one refund per payment, and a
 * re-sent command is answered with that refund (the same refundId) again.
 *
 * An order with no authorized payment (never authorized, or declined) has nothing to refund: the
 * command is logged and answered with nothing. A made-up PaymentRefunded of 0 would tell the saga
 * that money moved when none did; the saga refunds only CONFIRMED orders, so this is a bug or a
 * very late copy, and the log line is the place to find it.
 *
 * A refund above the authorized amount or in another currency is refused as unprocessable,
 * which dead-letters the command: guessing the amount to give back is not ours to do.
 */
export async function refundPayment(
  tx: Tx,
  command: RefundPaymentCommand,
  logger: Logger,
  cause: Cause,
): Promise<Outgoing<'PaymentRefunded'> | undefined> {
  const payment = await lockPaymentByOrder(tx, command.orderId);
  if (payment?.status !== 'AUTHORIZED') {
    logger.warn(
      { orderId: command.orderId, payment: payment?.status ?? 'none' },
      'RefundPayment for an order without an authorized payment; nothing to refund',
    );
    return undefined;
  }
  assertRefundable(payment, command);
  const refund = await insertRefundOnce(tx, {
    id: randomUUID(),
    paymentId: payment.id,
    amountCents: command.amountCents,
    reason: command.reason,
  });
  return announce(
    tx,
    {
      type: 'PaymentRefunded',
      payload: {
        orderId: payment.orderId,
        paymentId: payment.id,
        refundId: refund.id,
        amountCents: refund.amountCents,
        currency: payment.currency,
      },
    },
    cause,
  );
}

function assertRefundable(payment: Payment, command: RefundPaymentCommand): void {
  if (command.currency !== payment.currency) {
    throw new AppError(
      'UNPROCESSABLE',
      `refund in ${command.currency} of a payment in ${payment.currency}`,
    );
  }
  if (command.amountCents > payment.amountCents) {
    throw new AppError(
      'UNPROCESSABLE',
      `refund of ${command.amountCents} exceeds the authorized ${payment.amountCents}`,
    );
  }
}
