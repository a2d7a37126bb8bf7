import type { OrderPage } from '@shop/contracts';
import { Link, useLocation, useSearch } from 'wouter';
import { Loading } from '../../ui/loading';
import { formatMoney } from '../../ui/money';
import { Pagination } from '../../ui/pagination';
import { ProblemMessage } from '../../ui/problem-message';
import { formatDateTime } from '../../ui/time';
import { useApiResource } from '../../ui/use-api-resource';
import { useDocumentTitle } from '../layout/use-document-title';
import {
  failureReasonInWords,
  orderStatusTone,
  orderStatusWords,
  shortOrderId,
} from '../orders/order-words';
import { useAuthedApi } from '../session/use-authed-api';

const pageSize = 10;

/** The customer's orders, newest first, a page at a time (`?page=` in the URL). */
export function OrdersPage() {
  useDocumentTitle('Your orders');
  const call = useAuthedApi();
  const [, navigate] = useLocation();
  const page = Math.max(1, Number(new URLSearchParams(useSearch()).get('page')) || 1);
  const path = `/api/orders?page=${page}&pageSize=${pageSize}`;
  const orders = useApiResource(path, (signal) => call<OrderPage>(path, { signal }));
  const data = orders.data;

  return (
    <>
      <h1>Your orders</h1>
      {orders.failure !== undefined && (
        <div className="stack">
          <ProblemMessage failure={orders.failure} />
          <button type="button" onClick={orders.reload}>
            Try again
          </button>
        </div>
      )}
      {!data && orders.loading && <Loading what="Loading your orders" />}
      {data && data.items.length === 0 && (
        <p className="message message--info">
          You have not ordered anything yet. <Link href="/">Start shopping</Link>
        </p>
      )}
      {data && data.items.length > 0 && (
        <ul className="order-list" aria-busy={orders.loading}>
          {data.items.map((order) => (
            <li key={order.id} className="card order-list__item">
              <div className="order-list__main">
                <Link href={`/orders/${order.id}`} className="order-list__link">
                  Order {shortOrderId(order.id)}
                </Link>
                <span className="muted small">
                  <time dateTime={order.createdAt}>{formatDateTime(order.createdAt)}</time> ·{' '}
                  {order.items.reduce((sum, item) => sum + item.quantity, 0)} items
                </span>
              </div>
              <div className="order-list__side">
                <span className={`badge badge--${orderStatusTone(order.status)}`}>
                  {orderStatusWords[order.status]}
                </span>
                {order.failureReason && (
                  <span className="muted small">{failureReasonInWords(order.failureReason)}</span>
                )}
                <strong>{formatMoney(order.totalCents, order.currency)}</strong>
              </div>
            </li>
          ))}
        </ul>
      )}
      {data && data.total > data.pageSize && (
        <Pagination
          page={data.page}
          pageSize={data.pageSize}
          total={data.total}
          label="Order pages"
          onPage={(to) => navigate(to > 1 ? `/orders?page=${to}` : '/orders')}
        />
      )}
    </>
  );
}
