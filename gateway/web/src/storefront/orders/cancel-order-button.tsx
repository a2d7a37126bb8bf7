import type { Order } from '@shop/contracts';
import { useState } from 'react';
import { ApiProblem } from '../../api/problem';
import { describeFailure } from '../../ui/problem-message';
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
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();

  async function cancel() {
    setBusy(true);
    setFailure(undefined);
    try {
      await call<Order>(`/api/orders/${order.id}/cancel`, { method: 'POST' });
      onCancelled();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

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
