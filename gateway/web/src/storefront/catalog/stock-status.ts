import type { StockStatus } from '@shop/contracts';

/** API.md: LOW_STOCK means 0 < available ≤ 10 (mirrors LOW_STOCK_THRESHOLD in the contracts). */
const lowStockThreshold = 10;

export function stockStatusOf(available: number): StockStatus {
  if (available <= 0) return 'OUT_OF_STOCK';
  return available <= lowStockThreshold ? 'LOW_STOCK' : 'IN_STOCK';
}

/** "In stock", "Only 3 left", "Out of stock". */
export function stockLabel(status: StockStatus, available: number): string {
  if (status === 'OUT_OF_STOCK' || available <= 0) return 'Out of stock';
  if (status === 'LOW_STOCK') return `Only ${available} left`;
  return 'In stock';
}

export function stockTone(status: StockStatus): 'ok' | 'warn' | 'error' {
  if (status === 'OUT_OF_STOCK') return 'error';
  return status === 'LOW_STOCK' ? 'warn' : 'ok';
}
