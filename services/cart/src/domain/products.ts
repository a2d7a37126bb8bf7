import { AppError, isAppError, type Logger } from '@shop/service-kit';
import type { CatalogClient } from '../data/catalog';
import type { SnapshotStore } from '../data/product-snapshots';
import type { ProductSnapshot } from './cart';

export interface ProductDeps {
  catalog: CatalogClient;
  snapshots: SnapshotStore;
  logger: Logger;
}

/** When the catalog is down but did not say when to come back, a client should not hammer it. */
const defaultRetryAfterMs = 5_000;

/**
 * The product as the catalog has it now, remembered as a snapshot. When the catalog cannot answer
 * (down, slow, or its breaker open) the last snapshot stands in; only a product never seen fails,
 * with the catalog's own 503/504 and a Retry-After. A 404 is the catalog's answer, not an outage.
 */
export async function checkProduct(deps: ProductDeps, productId: string): Promise<ProductSnapshot> {
  try {
    const product = await deps.catalog.product(productId);
    const snapshot: ProductSnapshot = {
      id: product.id,
      sku: product.sku,
      name: product.name,
      priceCents: product.priceCents,
      currency: product.currency,
    };
    await deps.snapshots.save(snapshot);
    return snapshot;
  } catch (error) {
    if (!isUpstreamOutage(error)) throw error;
    const snapshot = await deps.snapshots.get(productId);
    if (snapshot) {
      deps.logger.warn(
        { productId, err: error },
        'catalog unavailable; using the product snapshot',
      );
      return snapshot;
    }
    throw new AppError(
      error.code,
      `the catalog is unavailable and product ${productId} is unknown here`,
      {
        retryAfterMs: error.retryAfterMs ?? defaultRetryAfterMs,
        cause: error,
      },
    );
  }
}

/** Snapshots for every id, asking the catalog only for those the cart has never stored. */
export async function snapshotsOf(
  deps: ProductDeps,
  productIds: readonly string[],
): Promise<Map<string, ProductSnapshot>> {
  const snapshots = await deps.snapshots.getMany(productIds);
  const missing = productIds.filter((id) => !snapshots.has(id));
  for (const id of missing) snapshots.set(id, await checkProduct(deps, id));
  return snapshots;
}

function isUpstreamOutage(error: unknown): error is AppError {
  return (
    isAppError(error) &&
    (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_TIMEOUT')
  );
}
