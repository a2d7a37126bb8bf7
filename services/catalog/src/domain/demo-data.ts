import { createProductBodySchema, type CreateProductInput } from '@shop/contracts';
import { isAppError, type Logger } from '@shop/service-kit';
import { skuExists } from '../data/products';
import { createProduct, type CatalogDeps } from './products';

export interface SeedResult {
  created: number;
  skipped: number;
}

/**
 * Loads the demo products through the same use case as the admin API, so each one emits its
 * ProductCreated and inventory stocks it. Idempotent by sku: a restart creates and emits nothing
 * twice, and a replica starting at the same moment loses the insert race with a CONFLICT.
 */
export async function seedDemoProducts(
  deps: CatalogDeps,
  seed: readonly CreateProductInput[],
  logger: Logger,
): Promise<SeedResult> {
  const result: SeedResult = { created: 0, skipped: 0 };
  for (const entry of seed) {
    const input = createProductBodySchema.parse(entry);
    if (await skuExists(deps.pool, input.sku)) {
      result.skipped += 1;
      continue;
    }
    try {
      await createProduct(deps, input);
      result.created += 1;
    } catch (error) {
      if (!isAppError(error) || error.code !== 'CONFLICT') throw error;
      result.skipped += 1;
    }
  }
  logger.info(result, 'demo products seeded');
  return result;
}
