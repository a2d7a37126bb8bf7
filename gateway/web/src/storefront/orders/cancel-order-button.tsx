import type { Order } from '@shop/contracts';
import { ApiProblem } from '../../api/problem';
import { describeFailure } from '../../ui/problem-message';
import { useSubmission } from '../../ui/use-submission';
import { useAuthedApi } from '../session/use-authed-api';

/** "Cancel order" for a CONFIRMED order: a compensation saga refunds and restocks it. */
export function CancelOrderButton({
  order,
  onCancelled,
}: {
  order: Order;
  onCancelled: () => void;
}) {
  const call = useAuthedApi();
  const { busy, failure, run } = useSubmission();

  const cancel = () =>
    run(async () => {
      await call<Order>(`/api/orders/${order.id}/cancel`, { method: 'POST' });
      onCancelled();
    });

  return (
    <div className="stack">
      <button
        type="button"
        className="button--danger"
        disabled={busy}
        onClick={() => void cancel()}
      >
        Cancel order
      </button>
      {failure !== undefined && (
        <div className="message message--error" role="alert">
          <p>
            {failure instanceof ApiProblem && failure.status === 409
              ? `This order can no longer be cancelled: ${failure.explanation}`
              : `The order was not cancelled: ${describeFailure(failure)}`}
          </p>
        </div>
      )}
    </div>
  );
}
