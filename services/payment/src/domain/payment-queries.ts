import type { Payment, PaymentsOfOrder, PaymentSummary } from '@shop/contracts';
import { withSnapshot, type Pool } from '@shop/postgres';
import {
  countPaymentsByStatus,
  findPaymentByOrder,
  type Payment as StoredPayment,
} from '../data/payments';
import { findRefundsOfPayments, totalRefundsByCurrency, type Refund } from '../data/refunds';

/** The order's payment (at most one, by the unique order id) and its refunds; none when unknown. */
export async function paymentsOfOrder(pool: Pool, orderId: string): Promise<PaymentsOfOrder> {
  const payment = await findPaymentByOrder(pool, orderId);
  if (!payment) return { orderId, items: [] };
  const refunds = await findRefundsOfPayments(pool, [payment.id]);
  return { orderId, items: [toPaymentView(payment, refunds)] };
}

function toPaymentView(payment: StoredPayment, refunds: Refund[]): Payment {
  return {
    id: payment.id,
    orderId: payment.orderId,
    customerId: payment.customerId,
    amountCents: payment.amountCents,
    currency: payment.currency,
    status: payment.status,
    declineReason: payment.declineReason,
    authorizationCode: payment.authorizationCode,
    attempts: payment.attempts,
    createdAt: payment.createdAt.toISOString(),
    refunds: refunds.map((refund) => ({
      id: refund.id,
      amountCents: refund.amountCents,
      reason: refund.reason,
      createdAt: refund.createdAt.toISOString(),
    })),
  };
}

/**
 * Counts and sums for reconciliation: what was authorized and refunded, per currency. No order can
 * be charged twice (payments are unique per order, refunds unique per payment); together with
 * the order service's view this shows none was charged and cancelled without a refund.
 */
export async function paymentSummary(pool: Pool): Promise<PaymentSummary> {
  const asOf = new Date().toISOString();
  // One snapshot, so a refund committed between the two reads cannot outnumber its payment.
  const { byStatus, refundTotals } = await withSnapshot(pool, async (tx) => ({
    byStatus: await countPaymentsByStatus(tx),
    refundTotals: await totalRefundsByCurrency(tx),
  }));
  const sum = (counts: { count: number }[]) => counts.reduce((total, row) => total + row.count, 0);
  const authorized = byStatus.filter((row) => row.status === 'AUTHORIZED');
  const declined = byStatus.filter((row) => row.status === 'DECLINED');
  const declinedByReason: PaymentSummary['payments']['declinedByReason'] = {};
  for (const row of declined) {
    // A declined payment always has its reason (CHECK payment_decline_described).
    const reason = row.declineReason!;
    declinedByReason[reason] = (declinedByReason[reason] ?? 0) + row.count;
  }
  const currencies = [
    ...new Set([...authorized, ...refundTotals].map((row) => row.currency)),
  ].sort();
  return {
    payments: {
      total: sum(byStatus),
      authorized: sum(authorized),
      declined: sum(declined),
      declinedByReason,
    },
    refunds: { total: sum(refundTotals) },
    byCurrency: currencies.map((currency) => {
      const charged = authorized.find((row) => row.currency === currency);
      const refunded = refundTotals.find((row) => row.currency === currency);
      return {
        currency,
        authorizedCount: charged?.count ?? 0,
        authorizedCents: charged?.amountCents ?? 0,
        refundedCount: refunded?.count ?? 0,
        refundedCents: refunded?.amountCents ?? 0,
      };
    }),
    asOf,
  };
}
