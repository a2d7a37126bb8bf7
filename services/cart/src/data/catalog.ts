import { productSchema, type Product } from '@shop/contracts';
import { createHttpClient, type BreakerRegistry } from '@shop/resilience';
import { outgoingHeaders } from '@shop/service-kit';

export interface CatalogClient {
  /** The product, or AppError NOT_FOUND / UPSTREAM_UNAVAILABLE / UPSTREAM_TIMEOUT. */
  product(productId: string): Promise<Product>;
}

export interface CatalogClientOptions {
  baseUrl: string;
  timeoutMs: number;
  volumeThreshold: number;
  errorThresholdPercentage: number;
  resetTimeoutMs: number;
  registry: BreakerRegistry;
}

/**
 * GET /api/products/:id through the 'catalog' circuit breaker. A 404 is the catalog answering, so
 * it never counts as a failure (the resilience client's error filter); 5xx, network errors and
 * timeouts do, and once the breaker is open calls fail at once instead of waiting on a dead socket.
 */
export function createCatalogClient(options: CatalogClientOptions): CatalogClient {
  const http = createHttpClient({
    name: 'catalog',
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    registry: options.registry,
    breaker: {
      volumeThreshold: options.volumeThreshold,
      errorThresholdPercentage: options.errorThresholdPercentage,
      resetTimeoutMs: options.resetTimeoutMs,
    },
  });
  return {
    product: (productId) =>
      http.get(`/api/products/${encodeURIComponent(productId)}`, {
        schema: productSchema,
        headers: definedHeaders(outgoingHeaders()),
      }),
  };
}

function definedHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
