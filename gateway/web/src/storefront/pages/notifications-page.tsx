import type { NotificationPage } from '@shop/contracts';
import { Link, useLocation, useSearch } from 'wouter';
import { Loading } from '../../ui/loading';
import { Pagination } from '../../ui/pagination';
import { ProblemMessage } from '../../ui/problem-message';
import { formatDateTime } from '../../ui/time';
import { useApiResource } from '../../ui/use-api-resource';
import { useDocumentTitle } from '../layout/use-document-title';
import { shortOrderId } from '../orders/order-words';
import { useAuthedApi } from '../session/use-authed-api';

const pageSize = 20;

/** The messages the shop sent the customer (welcome, order confirmed, order cancelled). */
export function NotificationsPage() {
  useDocumentTitle('Notifications');
  const call = useAuthedApi();
  const [, navigate] = useLocation();
  const page = Math.max(1, Number(new URLSearchParams(useSearch()).get('page')) || 1);
  const path = `/api/notifications?page=${page}&pageSize=${pageSize}`;
  const notifications = useApiResource(path, (signal) => call<NotificationPage>(path, { signal }));
  const data = notifications.data;

  return (
    <>
      <div className="page-header">
        <h1>Notifications</h1>
        <button type="button" onClick={notifications.reload} disabled={notifications.loading}>
          Refresh
        </button>
      </div>
      {notifications.failure !== undefined && <ProblemMessage failure={notifications.failure} />}
      {!data && notifications.loading && <Loading what="Loading your messages" />}
      {data && data.items.length === 0 && <p className="message message--info">No messages yet.</p>}
      {data && data.items.length > 0 && (
        <div className="stack">
          {data.items.map((notification) => (
            <article key={notification.id} className="card notification">
              <header className="notification__header">
                <h2>{notification.subject}</h2>
                <time className="muted small" dateTime={notification.createdAt}>
                  {formatDateTime(notification.createdAt)}
                </time>
              </header>
              <p className="notification__body">{notification.body}</p>
              <p className="small muted">
                By {notification.channel}
                {notification.status === 'FAILED' && (
                  <span className="badge badge--error">Not delivered</span>
                )}
                {notification.orderId && (
                  <>
                    {' · '}
                    <Link href={`/orders/${notification.orderId}`}>
                      View order {shortOrderId(notification.orderId)}
                    </Link>
                  </>
                )}
              </p>
            </article>
          ))}
        </div>
      )}
      {data && data.total > data.pageSize && (
        <Pagination
          page={data.page}
          pageSize={data.pageSize}
          total={data.total}
          label="Notification pages"
          onPage={(to) => navigate(to > 1 ? `/notifications?page=${to}` : '/notifications')}
        />
      )}
    </>
  );
}
