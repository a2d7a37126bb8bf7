import type { OrderReconciliation } from '@shop/contracts';
import { clockTime } from './format';
import { Panel } from './panel';
import { StockReconciliation } from './stock-reconciliation';

const orderStatuses = ['PENDING', 'STOCK_RESERVED', 'CONFIRMED', 'CANCELLED'] as const;

function CountTable({
  caption,
  keys,
  counts,
}: {
  caption: string;
  keys: readonly string[];
  counts: Partial<Record<string, number>>;
}) {
  return (
    <table className="data data--compact">
      <caption>{caption}</caption>
      <tbody>
        {keys.length === 0 && (
          <tr className="row--zero">
            <td colSpan={2}>none</td>
          </tr>
        )}
        {keys.map((key) => {
          const count = counts[key] ?? 0;
          return (
            <tr key={key} className={count === 0 ? 'row--zero' : undefined}>
              <th scope="row">{key}</th>
              <td className="number">{count}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function ReconciliationPanel({ summary }: { summary: OrderReconciliation | undefined }) {
  return (
    <Panel title="Reconciliation">
      {!summary ? (
        <p className="muted">No reconciliation summary yet.</p>
      ) : (
        <>
          <p className="muted">
            As of <time dateTime={summary.asOf}>{clockTime(summary.asOf)}</time>.{' '}
            <strong>{summary.inFlightOrders}</strong> orders in flight
            {summary.inFlightOrders === 0 ? ' (quiet: inventory should match exactly).' : '.'}
          </p>
          <div className="count-tables">
            <CountTable
              caption="Orders by status"
              keys={orderStatuses}
              counts={summary.ordersByStatus}
            />
            {/* Only the states some saga is in: the contract leaves the others out. */}
            <CountTable
              caption="Sagas by state"
              keys={Object.keys(summary.sagasByState)}
              counts={summary.sagasByState}
            />
          </div>
          <StockReconciliation summary={summary} />
        </>
      )}
    </Panel>
  );
}
