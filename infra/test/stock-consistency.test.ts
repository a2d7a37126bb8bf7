import { randomUUID } from 'node:crypto';
import { productSchema, stockLevelSchema } from '@shop/contracts';
import { startTestbed, type Testbed } from '../src/testbed';
import { waitUntil } from '../src/processes';

/**
 * Catalog and inventory as separate processes with their own databases: the only way a stock
 * change can reach the catalog is inventory's outbox → Kafka → catalog's read model.
 */
let bed: Testbed;
let admin: string;

beforeAll(async () => {
  bed = await startTestbed(['inventory', 'catalog']);
  admin = await bed.adminToken();
}, 120_000);

afterAll(async () => {
  await bed?.stop();
}, 60_000);

const asAdmin = (body: unknown) => ({
  method: 'POST',
  headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function catalogStock(productId: string) {
  const response = await fetch(`${bed.url('catalog')}/api/products/${productId}`);
  return productSchema.parse(await response.json()).stock;
}

test('when inventory restocks a product, then the catalog shows the new level without any call between them', async () => {
  const created = await fetch(
    `${bed.url('catalog')}/api/products`,
    asAdmin({
      sku: `IT-${randomUUID().slice(0, 8).toUpperCase()}`,
      name: 'Integration kettle',
      description: 'Boils water for the cross-service test.',
      category: 'electronics',
      priceCents: 2599,
      currency: 'EUR',
      initialStock: 7,
    }),
  );
  expect(created.status).toBe(201);
  const product = productSchema.parse(await created.json());

  // ProductCreated (catalog's outbox → Kafka) → inventory creates the stock row with 7 units.
  const inventoryLevel = async () => {
    const response = await fetch(`${bed.url('inventory')}/api/inventory/${product.id}`);
    return response.ok ? stockLevelSchema.parse(await response.json()) : undefined;
  };
  expect(
    await waitUntil(async () => (await inventoryLevel()) !== undefined, { timeoutMs: 30_000 }),
  ).toBe(true);
  expect(await inventoryLevel()).toMatchObject({ onHand: 7, reserved: 0, available: 7 });

  const restocked = await fetch(
    `${bed.url('inventory')}/api/inventory/${product.id}/restock`,
    asAdmin({ quantity: 25 }),
  );
  expect(restocked.status).toBe(200);
  expect(stockLevelSchema.parse(await restocked.json())).toMatchObject({
    onHand: 32,
    available: 32,
  });

  expect(
    await waitUntil(async () => (await catalogStock(product.id)).available === 32, {
      timeoutMs: 30_000,
    }),
  ).toBe(true);
  expect(await catalogStock(product.id)).toMatchObject({ available: 32, status: 'IN_STOCK' });
}, 90_000);
