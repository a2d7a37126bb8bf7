import { useEffect } from 'react';
import { Link } from 'wouter';
import { ApiProblem } from '../../api/problem';
import { Loading } from '../../ui/loading';
import { formatMoney } from '../../ui/money';
import { ProblemMessage } from '../../ui/problem-message';
import { formatDateTime, millisBetween } from '../../ui/time';
import { useCart } from '../cart/cart-context';
import { useDocumentTitle } from '../layout/use-document-title';
import { CancelOrderButton } from '../orders/cancel-order-button';
import { OrderHistory } from '../orders/order-history';
import { failureReasonInWords, orderStatusTone, shortOrderId } from '../orders/order-words';
import { SagaCompensations, SagaSteps } from '../orders/saga-steps';
import { StreamIndicator } from '../orders/stream-indicator';
import { useOrderStream } from '../orders/use-order-stream';

/** One order, following its saga live: steps, compensations, the outcome and its history. */
export function OrderPage({ id }: { id: string }) {
  useDocumentTitle(`Order ${shortOrderId(id)}`);
  const { snapshot, phase, failure, receivedAt, retryAt, reconnect } = useOrderStream(id);
  const { refresh: refreshCart } = useCart();
  // Placing the order empties the cart as the saga goes on: re-read it once the order settles.
  useEffect(() => {
    if (phase === 'final') void refreshCart();
  }, [phase, refreshCart]);

  if (!snapshot) {
    const notFound = failure instanceof ApiProblem && [400, 404].includes(failure.status);
    return (
      <>
        <h1>Order {shortOrderId(id)}</h1>
        {notFound ? (
          <p>
            There is no such order among yours. <Link href="/orders">See your order history</Link>
          </p>
        ) : failure !== undefined ? (
          <div className="stack">
            <ProblemMessage failure={failure} />
            <button type="button" onClick={reconnect}>
              Reconnect
            </button>
          </div>
        ) : (
          <Loading what="Loading the order" />
        )}
      </>
    );
  }

  const { order, saga } = snapshot;
  const sagaMs =
    saga.status === 'COMPLETED' || saga.status === 'COMPENSATED'
      ? millisBetween(saga.startedAt, saga.updatedAt)
      : undefined;
  return (
    <article className="order-page stack">
      <div className="page-header">
        <h1>Order {shortOrderId(order.id)}</h1>
        <StreamIndicator
          phase={phase}
          receivedAt={receivedAt}
          retryAt={retryAt}
          onReconnect={reconnect}
        />
      </div>
      {phase === 'disconnected' && failure !== undefined && (
        <div className="message message--info">
          <p>
            The page stopped following this order ({describeStreamFailure(failure)}). What you see
            was read at the time shown; press Reconnect to follow it again.
          </p>
        </div>
      )}

      <section className="card stack" aria-labelledby="outcome-heading">
        <h2 id="outcome-heading">Status</h2>
        <p className="row">
          <span
            className={`badge badge--${orderStatusTone(order.status)} order-status`}
            data-testid="order-status"
          >
            {order.status}
          </span>
          <span className="muted small">
            placed {formatDateTime(order.createdAt)} ·{' '}
            {formatMoney(order.totalCents, order.currency)}
          </span>
        </p>
        {order.status === 'CANCELLED' && order.failureReason && (
          <p>
            Reason:{' '}
            <strong data-testid="failure-reason">
              {failureReasonInWords(order.failureReason)}
            </strong>
          </p>
        )}
        {order.status === 'CONFIRMED' && (
          <CancelOrderButton order={order} onCancelled={reconnect} />
        )}
      </section>

      <div className="split">
        <section className="card stack" aria-labelledby="saga-heading">
          <h2 id="saga-heading">Processing steps</h2>
          <p className="muted small">
            Saga <code>{saga.status}</code>
            {sagaMs !== undefined && <> · took {sagaMs} ms</>}
          </p>
          <SagaSteps steps={saga.steps} />
          {saga.compensations.length > 0 && (
            <>
              <h3>Compensations</h3>
              <SagaCompensations compensations={saga.compensations} />
            </>
          )}
        </section>
        <section className="card stack" aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <OrderHistory history={order.history} />
        </section>
      </div>

      <section className="card stack" aria-labelledby="items-heading">
        <h2 id="items-heading">Items</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" className="numeric">
                  Quantity
                </th>
                <th scope="col" className="numeric">
                  Price
                </th>
              </tr>
            </thead>
            <tbody>
              {order.items.map((item) => (
                <tr key={item.productId}>
                  <th scope="row">
                    <Link href={`/products/${item.productId}`}>{item.name}</Link>
                  </th>
                  <td className="numeric">{item.quantity}</td>
                  <td className="numeric">
                    {formatMoney(item.unitPriceCents * item.quantity, order.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Total
                </th>
                <td className="numeric">
                  <strong>{formatMoney(order.totalCents, order.currency)}</strong>
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
        <h3>Shipping to</h3>
        <address className="shipping-address">
          {order.shippingAddress.name}
          <br />
          {order.shippingAddress.line1}
          {order.shippingAddress.line2 && (
            <>
              <br />
              {order.shippingAddress.line2}
            </>
          )}
          <br />
          {order.shippingAddress.postalCode} {order.shippingAddress.city}
          <br />
          {order.shippingAddress.country}
        </address>
      </section>
    </article>
  );
}

function describeStreamFailure(failure: unknown): string {
  if (failure instanceof ApiProblem) return failure.explanation;
  if (failure instanceof Error) return failure.message;
  return 'the connection failed';
}
