import type { OrderReconciliation, StockLevel } from '@shop/contracts';
import { useCallback, useState } from 'react';
import { api } from '../api/client';
import { usePolling } from './use-polling';

/** The products with the most units in orders are compared; the rest are in the count. */
const comparedAtMost = 12;

type Product = OrderReconciliation['products'][number];

/**
 * Stock against orders, per product: what the order service counts (units of CONFIRMED orders,
 * units still in a saga) beside what inventory holds (on hand, reserved). Once the system is
 * quiet (no saga in flight) inventory must hold no reservation: a row that still does is
 * flagged. While sagas run, the two are read at different moments and are shown, not judged.
 * Read from inventory's public stock levels while the table is open.
 */
export function StockReconciliation({ summary }: { summary: OrderReconciliation }) {
  const compared = [...summary.products]
    .sort((a, b) => b.confirmed + b.inFlight - (a.confirmed + a.inFlight))
    .slice(0, comparedAtMost);
  const ids = compared.map((product) => product.productId).join(',');
  const [open, setOpen] = useState(false);

  const levels = usePolling(
    useCallback(
      async (signal: AbortSignal) => {
        if (!open || ids === '') return new Map<string, StockLevel>();
        const read = await Promise.all(
          ids
            .split(',')
            .map((id) =>
              api<StockLevel>(`/api/inventory/${id}`, { signal }).then(
                (level) => [id, level] as const,
              ),
            ),
        );
        return new Map(read);
      },
      [ids, open],
    ),
    { intervalMs: 5_000, key: `${open}:${ids}` },
  );

  return (
    <details className="products" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        Stock vs orders ({summary.products.length}{' '}
        {summary.products.length === 1 ? 'product' : 'products'} ordered)
      </summary>
      {levels.error && <p className="banner banner--error">{levels.error}</p>}
      <div className="table-scroll">
        <table className="data data--compact" aria-label="Stock vs orders">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="number">
                Confirmed
              </th>
              <th scope="col" className="number">
                In flight
              </th>
              <th scope="col" className="number">
                Reserved
              </th>
              <th scope="col" className="number">
                On hand
              </th>
              <th scope="col">Agrees</th>
            </tr>
          </thead>
          <tbody>
            {compared.map((product) => (
              <Row
                key={product.productId}
                product={product}
                level={levels.data?.get(product.productId)}
                quiet={summary.inFlightOrders === 0}
              />
            ))}
          </tbody>
        </table>
      </div>
      {summary.products.length > compared.length && (
        <p className="muted small">
          The {compared.length} products with the most units in orders are compared.
        </p>
      )}
    </details>
  );
}

function Row({
  product,
  level,
  quiet,
}: {
  product: Product;
  level: StockLevel | undefined;
  quiet: boolean;
}) {
  const agrees = level === undefined || !quiet ? undefined : level.reserved === 0;
  return (
    <tr
      data-product={product.productId}
      data-agrees={agrees === undefined ? 'unknown' : String(agrees)}
    >
      <td className="mono">{level?.sku ?? product.productId.slice(0, 8)}</td>
      <td className="number">{product.confirmed}</td>
      <td className="number">{product.inFlight}</td>
      <td className="number">{level?.reserved ?? '…'}</td>
      <td className="number">{level?.onHand ?? '…'}</td>
      <td>
        {!quiet
          ? 'judged when quiet'
          : agrees === undefined
            ? '…'
            : agrees
              ? '✓ yes'
              : `✗ ${level?.reserved} reserved with nothing in flight`}
      </td>
    </tr>
  );
}
