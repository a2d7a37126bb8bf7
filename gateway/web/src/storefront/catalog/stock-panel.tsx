import type { Product } from '@shop/contracts';
import { describeFailure } from '../../ui/problem-message';
import { formatAgo, secondsSince } from '../../ui/time';
import { useNow } from '../../ui/use-now';
import { StockBadge } from './stock-badge';
import { stockStatusOf } from './stock-status';
import type { InventoryReading } from './use-inventory-level';

/**
 * The stock, with how fresh it is: the inventory service's authoritative level (re-read every
 * few seconds) and the catalog's eventually consistent copy, side by side, each with its age.
 */
export function StockPanel({
  product,
  inventory,
}: {
  product: Product;
  inventory: InventoryReading;
}) {
  const now = useNow(1000);
  const { level, readAt, failure } = inventory;
  const authoritative = level !== undefined && readAt !== undefined;
  const available = authoritative ? level.available : product.stock.available;
  const status = authoritative ? stockStatusOf(level.available) : product.stock.status;
  const asOf = authoritative ? readAt : product.stock.asOf;
  const catalogDiffers = authoritative && level.available !== product.stock.available;

  return (
    <section className="stock-panel card" aria-labelledby="stock-heading">
      <h2 id="stock-heading" className="visually-hidden">
        Stock
      </h2>
      <p className="stock-panel__main">
        <StockBadge status={status} available={available} data-testid="stock-status" />{' '}
        <span className="muted small" data-testid="stock-freshness">
          as of {secondsSince(asOf, now)} s ago
        </span>
      </p>
      <dl className="stock-panel__details small">
        <div>
          <dt>Inventory (authoritative)</dt>
          <dd>
            {authoritative
              ? `${level.available} available · ${level.onHand} on hand · ${level.reserved} reserved`
              : 'Reading…'}
          </dd>
        </div>
        <div>
          <dt>Catalog view (eventually consistent)</dt>
          <dd>
            {product.stock.available} available, as of {formatAgo(product.stock.asOf, now)}
            {catalogDiffers && <span className="badge badge--info">catching up</span>}
          </dd>
        </div>
      </dl>
      {failure !== undefined && (
        <p className="small field__error">
          Could not refresh the stock level: {describeFailure(failure)} Showing the last known
          level.
        </p>
      )}
    </section>
  );
}
