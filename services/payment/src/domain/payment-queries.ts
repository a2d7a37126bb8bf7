import { withSnapshot, type Pool } from '@shop/postgres';
import { countPaymentsByStatus, findPaymentByOrder, type Payment } from '../data/payments';
import { findRefundsOfPayments, totalRefundsByCurrency, type Refund } from '../data/refunds';

export type PaymentWithRefunds = Payment & { refunds: Omit<Refund, 'paymentId'>[] };

/** The order's payment (at most one, by the unique order id) and its refunds; none when unknown. */
export async function paymentsOfOrder(pool: Pool, orderId: string): Promise<PaymentWithRefunds[]> {
  const payment = await findPaymentByOrder(pool, orderId);
  if (!payment) return [];
  const refunds = await findRefundsOfPayments(pool, [payment.id]);
  return [{ ...payment, refunds: refunds.map(({ paymentId: _paymentId, ...refund }) => refund) }];
}

export interface CurrencyTotals {
  currency: string;
  authorizedCount: number;
  authorizedCents: number;
  refundedCount: number;
  refundedCents: number;
}

export interface PaymentSummary {
  payments: {
    total: number;
    authorized: number;
    declined: number;
    declinedByReason: Record<string, number>;
  };
  refunds: { total: number };
  byCurrency: CurrencyTotals[];
  asOf: Date;
}

/**
 * Counts and sums for reconciliation: what was authorized and refunded, per currency. No order can
 * be charged twice (payments are unique per order, refunds unique per payment); together with
 * the order service's view this shows none was charged and cancelled without a refund.
 */
export async function paymentSummary(pool: Pool): Promise<PaymentSummary> {
  const asOf = new Date();
  // One snapshot, so a refund committed between the two reads cannot outnumber its payment.
  const { byStatus, refundTotals } = await withSnapshot(pool, async (tx) => ({
    byStatus: await countPaymentsByStatus(tx),
    refundTotals: await totalRefundsByCurrency(tx),
  }));
  const sum = (counts: { count: number }[]) => counts.reduce((total, row) => total + row.count, 0);
  const authorized = byStatus.filter((row) => row.status === 'AUTHORIZED');
  const declined = byStatus.filter((row) => row.status === 'DECLINED');
  const declinedByReason: Record<string, number> = {};
  for (const row of declined) {
    const reason = row.declineReason ?? 'UNKNOWN';
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
