import { randomUUID } from 'node:crypto';
import { productSchema, stockLevelSchema, type Product } from '@shop/contracts';
import { waitUntil } from '../processes';
import { startTestbed, type Testbed } from '../testbed';
import { formatTable, percentile, writeReport, type BenchReport } from './report';

/**
 * Consistency lag: from a stock change committed in inventory to the moment the catalog's read
 * model shows it through its public API. The change's commit time is the `asOf` the catalog
 * shows (the StockLevelChanged event's occurredAt, stamped in inventory's transaction), so the lag
 * is "first seen in the catalog" − asOf, both on this machine's clock; polling every
 * `pollMs` bounds the error of each sample by that much.
 */
const parameters = {
  changes: Number(process.env.BENCH_LAG_CHANGES ?? 1000),
  products: Number(process.env.BENCH_LAG_PRODUCTS ?? 20),
  concurrency: Number(process.env.BENCH_LAG_CONCURRENCY ?? 10),
  pollMs: 2,
};

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function createProducts(bed: Testbed, admin: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await fetch(`${bed.url('catalog')}/api/products`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        sku: `LAG-${randomUUID().slice(0, 8).toUpperCase()}`,
        name: `Lag probe ${i}`,
        description: 'A product that exists to measure how fast stock changes reach the catalog.',
        category: process.env.BENCH_LAG_CATEGORY ?? 'electronics',
        priceCents: 1000,
        currency: 'EUR',
        initialStock: 100,
      }),
    });
    ids.push(productSchema.parse(await json(response, 'create product')).id);
  }
  return ids;
}

async function restockAndWatch(bed: Testbed, admin: string, productId: string): Promise<number> {
  const restock = await fetch(`${bed.url('inventory')}/api/inventory/${productId}/restock`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ quantity: 1 }),
  });
  const level = stockLevelSchema.parse(await json(restock, 'restock'));
  let seen: Product | undefined;
  const visible = await waitUntil(
    async () => {
      const response = await fetch(`${bed.url('catalog')}/api/products/${productId}`);
      const product = productSchema.parse(await response.json());
      if (product.stock.available < level.available) return false;
      seen = product;
      return true;
    },
    { timeoutMs: 30_000, intervalMs: parameters.pollMs },
  );
  const seenAt = Date.now();
  if (!visible || !seen?.stock.asOf)
    throw new Error(`restock of ${productId} never reached the catalog`);
  return seenAt - Date.parse(seen.stock.asOf);
}

export async function runConsistencyLag(): Promise<BenchReport> {
  const bed = await startTestbed(['inventory', 'catalog']);
  try {
    const admin = await bed.adminToken();
    const products = await createProducts(bed, admin, parameters.products);
    for (const id of products) {
      await waitUntil(async () => (await fetch(`${bed.url('inventory')}/api/inventory/${id}`)).ok, {
        timeoutMs: 30_000,
      });
    }
    const lags: number[] = [];
    const startedAt = new Date().toISOString();
    let next = 0;
    // Each worker owns its own products, so one product never has two changes in flight.
    const workers = Array.from({ length: parameters.concurrency }, async (_, worker) => {
      const own = products.filter((_, i) => i % parameters.concurrency === worker);
      while (next < parameters.changes) {
        next += 1;
        lags.push(await restockAndWatch(bed, admin, own[next % own.length]!));
      }
    });
    const began = Date.now();
    await Promise.all(workers);
    const seconds = (Date.now() - began) / 1000;
    return {
      benchmark: 'consistency-lag',
      startedAt,
      parameters,
      figures: [
        {
          metric: 'lag p50 (inventory commit → catalog API)',
          value: percentile(lags, 50),
          unit: 'ms',
        },
        { metric: 'lag p99', value: percentile(lags, 99), unit: 'ms' },
        { metric: 'lag max', value: Math.max(...lags), unit: 'ms' },
        { metric: 'stock changes applied', value: lags.length / seconds, unit: '/s' },
      ],
    };
  } finally {
    await bed.stop();
  }
}

if (require.main === module) {
  runConsistencyLag().then(
    (report) => {
      console.log(formatTable([report]));
      console.log(`\nwritten to ${writeReport(report)}`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
