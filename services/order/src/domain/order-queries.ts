import type {
  Order,
  OrderPage,
  OrderReconciliation,
  OrderSnapshot,
  PaginationQuery,
  SagaTimeline,
  SlowestSagas,
  SlowestSagasQuery,
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
import { findSaga, slowestEndedSagas } from '../data/sagas';
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
 * The order and its saga read in one snapshot, so the two agree (for the owner, or an admin):
 * what the live order page shows after each change.
 */
export async function getOrderSnapshot(
  pool: Pool,
  user: AuthUser,
  orderId: string,
): Promise<OrderSnapshot> {
  const found = await withSnapshot(pool, async (tx) => {
    const order = await findOrder(tx, orderId);
    const visible = order && (user.role === 'admin' || order.customerId === user.id);
    return visible ? { order, saga: await findSaga(tx, orderId) } : undefined;
  });
  if (!found?.saga) throw notFound(orderId);
  return { order: toOrderView(found.order), saga: toSagaTimeline(found.saga, found.order) };
}

/** Both the order and its saga have come to rest: nothing more will change on its own. */
export function isSettled({ order, saga }: OrderSnapshot): boolean {
  return (
    (order.status === 'CONFIRMED' || order.status === 'CANCELLED') &&
    (saga.status === 'COMPLETED' || saga.status === 'COMPENSATED')
  );
}

/** The slowest sagas that ended in the last `withinSeconds`, for the operations console. */
export async function slowestSagas(pool: Pool, query: SlowestSagasQuery): Promise<SlowestSagas> {
  const since = new Date(Date.now() - query.withinSeconds * 1_000);
  const ended = await slowestEndedSagas(pool, since, query.limit);
  return {
    since: since.toISOString(),
    items: ended.map((saga) => ({
      orderId: saga.orderId,
      orderStatus: saga.orderStatus,
      ...(saga.failureReason === null ? {} : { failureReason: saga.failureReason }),
      startedAt: saga.startedAt.toISOString(),
      endedAt: saga.endedAt.toISOString(),
      durationMs: Math.max(0, saga.endedAt.getTime() - saga.startedAt.getTime()),
    })),
  };
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
