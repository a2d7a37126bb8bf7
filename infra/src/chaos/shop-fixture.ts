import { randomUUID } from 'node:crypto';
import { waitUntil } from '../processes';
import type { GatewayClient } from './gateway-client';

export interface StockedProduct {
  id: string;
  sku: string;
  priceCents: number;
  initialStock: number;
  /** Few units: customers compete for it, so some orders must end OUT_OF_STOCK. */
  scarce: boolean;
}

export interface FixtureOptions {
  plentiful: number;
  plentifulStock: number;
  scarceStock: number;
}

/**
 * Fresh products for one experiment, created through the gateway as an admin would. Fresh ones
 * each time so that an experiment's stock arithmetic is its own even when several experiments
 * share a testbed. Ready once inventory has a stock row for each (ProductCreated went through
 * catalog's outbox and Kafka).
 */
export async function stockProducts(
  client: GatewayClient,
  adminToken: string,
  options: FixtureOptions,
): Promise<StockedProduct[]> {
  const run = randomUUID().slice(0, 6).toUpperCase();
  const wanted = [
    ...Array.from({ length: options.plentiful }, (_, i) => ({
      name: `Chaos teapot ${i + 1}`,
      stock: options.plentifulStock,
      scarce: false,
    })),
    { name: 'Chaos limited edition', stock: options.scarceStock, scarce: true },
  ];
  const products: StockedProduct[] = [];
  for (const [index, product] of wanted.entries()) {
    const sku = `CHAOS-${run}-${index + 1}`;
    const priceCents = 1_000 + index * 250;
    const answer = await client.request('admin', 'POST', '/api/products', {
      token: adminToken,
      body: {
        sku,
        name: product.name,
        description: 'Stocked by a chaos experiment.',
        category: 'electronics',
        priceCents,
        currency: 'EUR',
        initialStock: product.stock,
      },
    });
    if (answer.status !== 201) {
      throw new Error(`creating ${sku}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    const { id } = answer.body as { id: string };
    products.push({ id, sku, priceCents, initialStock: product.stock, scarce: product.scarce });
  }
  const stocked = await waitUntil(
    async () => {
      const answers = await Promise.all(
        products.map((p) => client.request('admin', 'GET', `/api/inventory/${p.id}`)),
      );
      return answers.every((answer) => answer.status === 200);
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  if (!stocked) throw new Error('inventory did not learn of the new products within 60 s');
  return products;
}
