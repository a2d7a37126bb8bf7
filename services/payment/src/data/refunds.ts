import type { OrderFailureReason } from '@shop/contracts';
import type { Tx } from '@shop/postgres';

export interface Refund {
  id: string;
  paymentId: string;
  amountCents: number;
  reason: OrderFailureReason;
  createdAt: Date;
}

export type NewRefund = Omit<Refund, 'createdAt'>;

interface RefundRow {
  id: string;
  payment_id: string;
  amount_cents: string;
  reason: OrderFailureReason;
  created_at: Date;
}

type Queryable = Tx;

const columns = 'id, payment_id, amount_cents, reason, created_at';

export async function findRefundsOfPayments(
  db: Queryable,
  paymentIds: string[],
): Promise<Refund[]> {
  const { rows } = await db.query<RefundRow>(
    `SELECT ${columns} FROM refunds WHERE payment_id = ANY($1::uuid[]) ORDER BY created_at`,
    [paymentIds],
  );
  return rows.map(toRefund);
}

/** Stores the payment's refund unless it has one; returns the one that counts (see payments). */
export async function insertRefundOnce(tx: Tx, refund: NewRefund): Promise<Refund> {
  const { rows } = await tx.query<RefundRow>(
    `INSERT INTO refunds (id, payment_id, amount_cents, reason) VALUES ($1, $2, $3, $4)
     ON CONFLICT (payment_id) DO NOTHING
     RETURNING ${columns}`,
    [refund.id, refund.paymentId, refund.amountCents, refund.reason],
  );
  if (rows[0]) return toRefund(rows[0]);
  const [existing] = await findRefundsOfPayments(tx, [refund.paymentId]);
  if (!existing)
    throw new Error(`refund of payment ${refund.paymentId} neither inserted nor found`);
  return existing;
}

export interface RefundTotal {
  currency: string;
  count: number;
  amountCents: number;
}

export async function totalRefundsByCurrency(db: Queryable): Promise<RefundTotal[]> {
  const { rows } = await db.query<{ currency: string; count: string; amount_cents: string }>(
    `SELECT p.currency, count(*) AS count, sum(r.amount_cents) AS amount_cents
     FROM refunds r JOIN payments p ON p.id = r.payment_id
     GROUP BY p.currency ORDER BY p.currency`,
  );
  return rows.map((row) => ({
    currency: row.currency,
    count: Number(row.count),
    amountCents: Number(row.amount_cents),
  }));
}

function toRefund(row: RefundRow): Refund {
  return {
    id: row.id,
    paymentId: row.payment_id,
    amountCents: Number(row.amount_cents),
    reason: row.reason,
    createdAt: row.created_at,
  };
}
