import type { PaymentDeclineReason, PaymentStatus } from '@shop/contracts';
import type { Tx } from '@shop/postgres';

export interface Payment {
  id: string;
  orderId: string;
  customerId: string;
  amountCents: number;
  currency: string;
  status: PaymentStatus;
  declineReason: PaymentDeclineReason | null;
  authorizationCode: string | null;
  attempts: number;
  createdAt: Date;
}

export type NewPayment = Omit<Payment, 'createdAt'>;

interface PaymentRow {
  id: string;
  order_id: string;
  customer_id: string;
  amount_cents: string;
  currency: string;
  status: PaymentStatus;
  decline_reason: PaymentDeclineReason | null;
  authorization_code: string | null;
  attempts: number;
  created_at: Date;
}

const columns = `id, order_id, customer_id, amount_cents, currency, status, decline_reason,
  authorization_code, attempts, created_at`;

type Queryable = Tx;

export async function findPaymentByOrder(
  db: Queryable,
  orderId: string,
): Promise<Payment | undefined> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${columns} FROM payments WHERE order_id = $1`,
    [orderId],
  );
  return rows[0] && toPayment(rows[0]);
}

/** Locks the order's payment until the transaction ends, so two refunds of it take turns. */
export async function lockPaymentByOrder(tx: Tx, orderId: string): Promise<Payment | undefined> {
  const { rows } = await tx.query<PaymentRow>(
    `SELECT ${columns} FROM payments WHERE order_id = $1 FOR UPDATE`,
    [orderId],
  );
  return rows[0] && toPayment(rows[0]);
}

/**
 * Stores the order's payment unless it already has one, and returns the one that counts. The
 * unique order_id decides between two racing copies: the loser's insert waits for the winner to
 * commit, does nothing, and reads the winner's row (a new statement sees the committed row under
 * READ COMMITTED).
 */
export async function insertPaymentOnce(tx: Tx, payment: NewPayment): Promise<Payment> {
  const { rows } = await tx.query<PaymentRow>(
    `INSERT INTO payments (id, order_id, customer_id, amount_cents, currency, status,
       decline_reason, authorization_code, attempts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (order_id) DO NOTHING
     RETURNING ${columns}`,
    [
      payment.id,
      payment.orderId,
      payment.customerId,
      payment.amountCents,
      payment.currency,
      payment.status,
      payment.declineReason,
      payment.authorizationCode,
      payment.attempts,
    ],
  );
  const stored = rows[0] ? toPayment(rows[0]) : await findPaymentByOrder(tx, payment.orderId);
  if (!stored) throw new Error(`payment of order ${payment.orderId} neither inserted nor found`);
  return stored;
}

export interface StatusCount {
  status: PaymentStatus;
  declineReason: PaymentDeclineReason | null;
  currency: string;
  count: number;
  amountCents: number;
}

export async function countPaymentsByStatus(db: Queryable): Promise<StatusCount[]> {
  const { rows } = await db.query<{
    status: PaymentStatus;
    decline_reason: PaymentDeclineReason | null;
    currency: string;
    count: string;
    amount_cents: string;
  }>(
    `SELECT status, decline_reason, currency, count(*) AS count, sum(amount_cents) AS amount_cents
     FROM payments GROUP BY status, decline_reason, currency
     ORDER BY status, decline_reason, currency`,
  );
  return rows.map((row) => ({
    status: row.status,
    declineReason: row.decline_reason,
    currency: row.currency,
    count: Number(row.count),
    amountCents: Number(row.amount_cents),
  }));
}

function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    amountCents: Number(row.amount_cents),
    currency: row.currency,
    status: row.status,
    declineReason: row.decline_reason,
    authorizationCode: row.authorization_code,
    attempts: row.attempts,
    createdAt: row.created_at,
  };
}
