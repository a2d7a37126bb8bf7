import type { OrderHistoryEntry } from '@shop/contracts';
import { formatDateTime } from '../../ui/time';
import { failureReasonInWords, orderStatusWords } from './order-words';

/** Every status the order went through, with when. */
export function OrderHistory({ history }: { history: OrderHistoryEntry[] }) {
  return (
    <ol className="order-history">
      {history.map((entry, index) => (
        <li key={`${entry.status}-${entry.at}-${index}`}>
          <span className="order-history__status">{orderStatusWords[entry.status]}</span>
          {entry.reason && <span className="muted"> — {failureReasonInWords(entry.reason)}</span>}
          <time className="muted small" dateTime={entry.at}>
            {formatDateTime(entry.at)}
          </time>
        </li>
      ))}
    </ol>
  );
}
