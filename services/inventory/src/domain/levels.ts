import type { StockLevel } from '@shop/contracts';
import type { StockItem } from '../data/stock-items';

/** The public view of a stock row (API.md): available is derived, never stored. */
export function levelsOf(item: StockItem): StockLevel {
  return {
    productId: item.productId,
    sku: item.sku,
    onHand: item.onHand,
    reserved: item.reserved,
    available: item.onHand - item.reserved,
  };
}
