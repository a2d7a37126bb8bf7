import type {
  Order,
  OrderPage,
  OrderReconciliation,
  PaginationQuery,
  SagaTimeline,
} from '@shop/contracts';
import type { AuthUser } from '@shop/auth';
import { withSnapshot, type Pool } from '@shop/postgres';
import { AppError } from '@shop/service-kit';
import { findOrder, listCustomerOrders, type OrderRecord } from '../data/orders';
import {
  countOrdersByStatus,
  countSagasByState,
  quantitiesByProduct,
} from '../data/reconciliation';
import { findSaga } from '../data/sagas';
import { toOrderView } from './order-view';
import { toSagaTimeline } from './saga-timeline';

/** Another customer's order answers exactly like a missing one: its existence is not revealed. */
export async function ownOrder(pool: Pool, user: AuthUser, orderId: string): Promise<OrderRecord> {
  const order = await findOrder(pool, orderId);
  if (!order || order.customerId !== user.id) throw notFound(orderId);
  return order;
}

export async function getOrder(pool: Pool, user: AuthUser, orderId: string): Promise<Order> {
  return toOrderView(await ownOrder(pool, user, orderId));
}

export async function listOrders(
  pool: Pool,
  user: AuthUser,
  page: PaginationQuery,
): Promise<OrderPage> {
  const { items, total } = await withSnapshot(pool, (tx) => listCustomerOrders(tx, user.id, page));
  return { items: items.map(toOrderView), page: page.page, pageSize: page.pageSize, total };
}

/** For the order's owner, or an admin following a saga. */
export async function getSagaTimeline(
  pool: Pool,
  user: AuthUser,
  orderId: string,
): Promise<SagaTimeline> {
  const order =
    user.role === 'admin' ? await findOrder(pool, orderId) : await ownOrder(pool, user, orderId);
  const saga = order && (await findSaga(pool, orderId));
  if (!order || !saga) throw notFound(orderId);
  return toSagaTimeline(saga, order);
}

/**
 * What inventory should agree with, once the system is quiet: for every product, committed sales
 * = `confirmed`, and reserved ≤ `inFlight` (0 when nothing is in flight).
 */
export async function reconciliationSummary(pool: Pool): Promise<OrderReconciliation> {
  const asOf = new Date().toISOString();
  // One snapshot, so the counts agree with each other (no order counted in one and not another).
  const { orders, sagas, products } = await withSnapshot(pool, async (tx) => ({
    orders: await countOrdersByStatus(tx),
    sagas: await countSagasByState(tx),
    products: await quantitiesByProduct(tx),
  }));
  return {
    asOf,
    ordersByStatus: Object.fromEntries(orders.map(({ status, count }) => [status, count])),
    sagasByState: Object.fromEntries(sagas.map(({ state, count }) => [state, count])),
    inFlightOrders: sagas
      .filter(({ state }) => state !== 'CONFIRMED' && state !== 'CANCELLED')
      .reduce((sum, { count }) => sum + count, 0),
    products,
  };
}

function notFound(orderId: string): AppError {
  return new AppError('NOT_FOUND', `order ${orderId} not found`);
}
