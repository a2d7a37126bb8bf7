import type { MessageOf } from '@shop/contracts';
import type { CartStore } from '../data/carts';
import type { SnapshotStore } from '../data/product-snapshots';
import type { RedisUnit } from '../data/redis-inbox';

/** The order placed from this cart is confirmed: its items leave the cart, later additions stay. */
export async function onOrderConfirmed(
  carts: CartStore,
  message: MessageOf<'OrderConfirmed'>,
  unit: RedisUnit,
): Promise<void> {
  const { customerId, items } = message.payload;
  await carts.removeOrderedItems(unit, customerId, items);
}

/**
 * Keeps prices and names fresh without a catalog call, and lets the cart add a product while the
 * catalog is down if it has heard of it. Events of one product share a partition, so they arrive
 * in order; a snapshot fetched over REST meanwhile may be overwritten by an older event during a
 * replay, and the next event or fetch corrects it.
 */
export function onProductChanged(
  snapshots: SnapshotStore,
  message: MessageOf<'ProductCreated' | 'ProductUpdated'>,
  unit: RedisUnit,
): Promise<void> {
  const { productId, sku, name, priceCents, currency } = message.payload;
  snapshots.saveIn(unit, { id: productId, sku, name, priceCents, currency });
  return Promise.resolve();
}
