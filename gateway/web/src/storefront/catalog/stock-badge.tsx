import type { StockStatus } from '@shop/contracts';
import type { HTMLAttributes } from 'react';
import { stockLabel, stockTone } from './stock-status';

/** "In stock" / "Only N left" / "Out of stock" as a coloured badge. */
export function StockBadge({
  status,
  available,
  ...rest
}: { status: StockStatus; available: number } & HTMLAttributes<HTMLSpanElement>) {
  return (
    <span className={`badge badge--${stockTone(status)}`} {...rest}>
      {stockLabel(status, available)}
    </span>
  );
}
