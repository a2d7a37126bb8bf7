import type { OrderFailureReason, OrderItem, OrderStatus, ShippingAddress } from '@shop/contracts';
import type { Tx } from '@shop/postgres';

export interface HistoryEntry {
  status: OrderStatus;
  at: Date;
  reason?: OrderFailureReason;
}

export interface OrderRecord {
  id: string;
  customerId: string;
  status: OrderStatus;
  failureReason?: OrderFailureReason;
  items: OrderItem[];
  totalCents: number;
  currency: string;
  shippingAddress: ShippingAddress;
  paymentToken: string;
  createdAt: Date;
  updatedAt: Date;
  history: HistoryEntry[];
}

export interface OrderRow {
  id: string;
  customerId: string;
  status: OrderStatus;
  failureReason: OrderFailureReason | null;
  totalCents: string;
  currency: string;
  shippingAddress: ShippingAddress;
  paymentToken: string;
  createdAt: Date;
  updatedAt: Date;
  items: OrderItem[];
  /** Inside JSON, so `at` is an ISO string. */
  history: Array<{ status: OrderStatus; reason: OrderFailureReason | null; at: string }>;
}

/** The order with its items and history as JSON arrays: an order is read in one statement. */
export const orderColumns = `id, customer_id AS "customerId", status, failure_reason AS "failureReason",
  total_cents AS "totalCents", currency, shipping_address AS "shippingAddress",
  payment_token AS "paymentToken", created_at AS "createdAt", updated_at AS "updatedAt",
  (SELECT coalesce(jsonb_agg(jsonb_build_object('productId', product_id, 'sku', sku, 'name', name,
      'unitPriceCents', unit_price_cents, 'quantity', quantity) ORDER BY line_no), '[]')
    FROM order_items WHERE order_items.order_id = orders.id) AS items,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('status', status, 'reason', reason, 'at', at)
      ORDER BY seq), '[]')
    FROM order_history WHERE order_history.order_id = orders.id) AS history`;

/**
 * The order, its items and its first history entry in one statement: each line was a round trip
 * of its own (docs/performance.md). The items' foreign key is checked at the statement's end, when
 * the order's row is there.
 */
export async function insertOrder(tx: Tx, order: OrderRecord): Promise<void> {
  await tx.query(
    `WITH inserted AS (
       INSERT INTO orders (id, customer_id, status, failure_reason, total_cents, currency,
         shipping_address, payment_token, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ),
     items AS (
       INSERT INTO order_items (order_id, line_no, product_id, sku, name, unit_price_cents,
         quantity)
       SELECT $1, "lineNo", "productId", sku, name, "unitPriceCents", quantity
       FROM jsonb_to_recordset($11::jsonb) AS item("lineNo" integer, "productId" uuid, sku text,
         name text, "unitPriceCents" bigint, quantity integer)
     )
     INSERT INTO order_history (order_id, status, reason, at)
     SELECT $1, status, reason, at
     FROM jsonb_to_recordset($12::jsonb) AS entry(status text, reason text, at timestamptz)`,
    [
      order.id,
      order.customerId,
      order.status,
      order.failureReason ?? null,
      order.totalCents,
      order.currency,
      JSON.stringify(order.shippingAddress),
      order.paymentToken,
      order.createdAt,
      order.updatedAt,
      JSON.stringify(order.items.map((item, index) => ({ ...item, lineNo: index + 1 }))),
      JSON.stringify(
        order.history.map(({ status, reason, at }) => ({ status, reason: reason ?? null, at })),
      ),
    ],
  );
}

export async function appendHistory(tx: Tx, orderId: string, entry: HistoryEntry): Promise<void> {
  await tx.query(
    'INSERT INTO order_history (order_id, status, reason, at) VALUES ($1, $2, $3, $4)',
    [orderId, entry.status, entry.reason ?? null, entry.at],
  );
}

/**
 * The status and its history entry in one statement (a WITH that writes runs whether or not the
 * rest reads it): every round trip counts in a saga step.
 */
export async function updateOrderStatus(
  tx: Tx,
  orderId: string,
  change: { status: OrderStatus; failureReason?: OrderFailureReason; at: Date },
): Promise<void> {
  await tx.query(
    `WITH updated AS (
       UPDATE orders SET status = $2, failure_reason = $3, updated_at = $4 WHERE id = $1
     )
     INSERT INTO order_history (order_id, status, reason, at) VALUES ($1, $2, $3, $4)`,
    [orderId, change.status, change.failureReason ?? null, change.at],
  );
}

export async function findOrder(tx: Tx, orderId: string): Promise<OrderRecord | undefined> {
  const { rows } = await tx.query<OrderRow>(`SELECT ${orderColumns} FROM orders WHERE id = $1`, [
    orderId,
  ]);
  return rows[0] && toOrderRecord(rows[0]);
}

export async function listCustomerOrders(
  tx: Tx,
  customerId: string,
  page: { page: number; pageSize: number },
): Promise<{ items: OrderRecord[]; total: number }> {
  // The page first, so that items and history are read for its orders only.
  const { rows } = await tx.query<OrderRow>(
    `SELECT ${orderColumns}
     FROM (
       SELECT * FROM orders WHERE customer_id = $1
       ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3
     ) AS orders
     ORDER BY created_at DESC, id DESC`,
    [customerId, page.pageSize, (page.page - 1) * page.pageSize],
  );
  const { rows: counted } = await tx.query<{ total: number }>(
    'SELECT count(*)::int AS total FROM orders WHERE customer_id = $1',
    [customerId],
  );
  return { items: rows.map(toOrderRecord), total: counted[0]?.total ?? 0 };
}

export function toOrderRecord(row: OrderRow): OrderRecord {
  return {
    id: row.id,
    customerId: row.customerId,
    status: row.status,
    ...(row.failureReason === null ? {} : { failureReason: row.failureReason }),
    // Rebuilt in the contract's key order: jsonb keeps an object's keys shortest first.
    items: row.items.map(({ productId, sku, name, unitPriceCents, quantity }) => ({
      productId,
      sku,
      name,
      unitPriceCents,
      quantity,
    })),
    totalCents: Number(row.totalCents),
    currency: row.currency,
    shippingAddress: row.shippingAddress,
    paymentToken: row.paymentToken,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    history: row.history.map(({ status, reason, at }) => ({
      status,
      at: new Date(at),
      ...(reason === null ? {} : { reason }),
    })),
  };
}
