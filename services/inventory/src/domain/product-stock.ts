import type { PayloadOf } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import { insertStockItem, updateSku } from '../data/stock-items';
import { emitLevelsChanged, type Cause } from '../messaging/emit';

/**
 * A new product's stock row, with its initial stock on hand, announced at sequence 1. A product
 * that already has a row keeps it (a re-published ProductCreated changes nothing).
 */
export async function createStockForProduct(
  tx: Tx,
  product: PayloadOf<'ProductCreated'>,
  cause: Cause,
): Promise<void> {
  const created = await insertStockItem(tx, {
    productId: product.productId,
    sku: product.sku,
    onHand: product.initialStock,
  });
  if (created) await emitLevelsChanged(tx, [created], cause);
}

/**
 * Keeps the sku in step with the catalog. Not a change of levels, so no StockLevelChanged: the
 * next one carries the new sku. A product inventory has no row for is ignored; its
 * ProductCreated (same partition key, so it came first) would have created it.
 */
export async function refreshProductSku(
  tx: Tx,
  product: PayloadOf<'ProductUpdated'>,
): Promise<void> {
  await updateSku(tx, product.productId, product.sku);
}
