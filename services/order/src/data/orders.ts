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

interface OrderRow {
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
}

const orderColumns = `id, customer_id AS "customerId", status, failure_reason AS "failureReason",
  total_cents AS "totalCents", currency, shipping_address AS "shippingAddress",
  payment_token AS "paymentToken", created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function insertOrder(tx: Tx, order: OrderRecord): Promise<void> {
  await tx.query(
    `INSERT INTO orders (id, customer_id, status, failure_reason, total_cents, currency,
       shipping_address, payment_token, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
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
    ],
  );
  for (const [index, item] of order.items.entries()) {
    await tx.query(
      `INSERT INTO order_items (order_id, line_no, product_id, sku, name, unit_price_cents, quantity)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        order.id,
        index + 1,
        item.productId,
        item.sku,
        item.name,
        item.unitPriceCents,
        item.quantity,
      ],
    );
  }
  for (const entry of order.history) await appendHistory(tx, order.id, entry);
}

export async function appendHistory(tx: Tx, orderId: string, entry: HistoryEntry): Promise<void> {
  await tx.query(
    'INSERT INTO order_history (order_id, status, reason, at) VALUES ($1, $2, $3, $4)',
    [orderId, entry.status, entry.reason ?? null, entry.at],
  );
}

export async function updateOrderStatus(
  tx: Tx,
  orderId: string,
  change: { status: OrderStatus; failureReason?: OrderFailureReason; at: Date },
): Promise<void> {
  await tx.query(
    'UPDATE orders SET status = $2, failure_reason = $3, updated_at = $4 WHERE id = $1',
    [orderId, change.status, change.failureReason ?? null, change.at],
  );
  await appendHistory(tx, orderId, {
    status: change.status,
    at: change.at,
    ...(change.failureReason === undefined ? {} : { reason: change.failureReason }),
  });
}

export async function findOrder(tx: Tx, orderId: string): Promise<OrderRecord | undefined> {
  const { rows } = await tx.query<OrderRow>(`SELECT ${orderColumns} FROM orders WHERE id = $1`, [
    orderId,
  ]);
  const [order] = await withDetails(tx, rows);
  return order;
}

export async function listCustomerOrders(
  tx: Tx,
  customerId: string,
  page: { page: number; pageSize: number },
): Promise<{ items: OrderRecord[]; total: number }> {
  const { rows } = await tx.query<OrderRow>(
    `SELECT ${orderColumns} FROM orders WHERE customer_id = $1
     ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
    [customerId, page.pageSize, (page.page - 1) * page.pageSize],
  );
  const { rows: counted } = await tx.query<{ total: number }>(
    'SELECT count(*)::int AS total FROM orders WHERE customer_id = $1',
    [customerId],
  );
  return { items: await withDetails(tx, rows), total: counted[0]?.total ?? 0 };
}

async function withDetails(tx: Tx, rows: OrderRow[]): Promise<OrderRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const { rows: items } = await tx.query<OrderItem & { orderId: string; unitPriceCents: string }>(
    `SELECT order_id AS "orderId", product_id AS "productId", sku, name,
            unit_price_cents AS "unitPriceCents", quantity
     FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, line_no`,
    [ids],
  );
  const { rows: history } = await tx.query<{
    orderId: string;
    status: OrderStatus;
    reason: OrderFailureReason | null;
    at: Date;
  }>(
    `SELECT order_id AS "orderId", status, reason, at
     FROM order_history WHERE order_id = ANY($1::uuid[]) ORDER BY seq`,
    [ids],
  );
  return rows.map((row) => ({
    id: row.id,
    customerId: row.customerId,
    status: row.status,
    ...(row.failureReason === null ? {} : { failureReason: row.failureReason }),
    items: items
      .filter((item) => item.orderId === row.id)
      .map(({ productId, sku, name, unitPriceCents, quantity }) => ({
        productId,
        sku,
        name,
        unitPriceCents: Number(unitPriceCents),
        quantity,
      })),
    totalCents: Number(row.totalCents),
    currency: row.currency,
    shippingAddress: row.shippingAddress,
    paymentToken: row.paymentToken,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    history: history
      .filter((entry) => entry.orderId === row.id)
      .map(({ status, reason, at }) => ({ status, at, ...(reason === null ? {} : { reason }) })),
  }));
}
