import { randomUUID } from 'node:crypto';
import { topics, type StockLevel } from '@shop/contracts';
import { emittedBy, type EmittedEvents } from './support/events';
import {
  collect,
  startInventory,
  startProducer,
  uniqueSku,
  type Collector,
  type InventoryUnderTest,
} from './support/environment';
import { waitFor } from '@shop/testkit';

jest.setTimeout(60_000);

let inventory: InventoryUnderTest;
let producer: Awaited<ReturnType<typeof startProducer>>;
let events: Collector;
let emitted: EmittedEvents;

beforeAll(async () => {
  [inventory, producer, events] = await Promise.all([
    startInventory({ RESERVATION_TTL: '1s', RESERVATION_SWEEP_INTERVAL: '200ms' }),
    startProducer(),
    collect(topics.inventoryEvents),
  ]);
  emitted = emittedBy(events);
});

afterAll(async () => {
  await Promise.all([events?.stop(), producer?.stop()]);
  await inventory?.close();
});

async function levelsOf(productId: string): Promise<StockLevel | undefined> {
  const response = await fetch(`${inventory.service.url}/api/inventory/${productId}`);
  return response.status === 200 ? ((await response.json()) as StockLevel) : undefined;
}

async function productWithStock(initialStock: number): Promise<string> {
  const productId = randomUUID();
  await producer.send('ProductCreated', {
    productId,
    sku: uniqueSku(),
    name: 'Expiring product',
    description: '',
    category: 'test',
    priceCents: 100,
    currency: 'EUR',
    imageUrl: null,
    initialStock,
  });
  await waitFor(() => levelsOf(productId), { what: 'the stock row' });
  return productId;
}

test('when a reservation is neither committed nor released within its TTL, then StockReleased EXPIRED is announced and the units are available again', async () => {
  const productId = await productWithStock(6);
  const orderId = randomUUID();

  await producer.send('ReserveStock', { orderId, lines: [{ productId, quantity: 4 }] });
  await waitFor(async () => (await emitted('StockReserved', orderId))[0], {
    what: 'StockReserved',
  });

  const released = await waitFor(async () => (await emitted('StockReleased', orderId))[0], {
    what: 'StockReleased EXPIRED',
  });
  expect(released.payload).toEqual({ orderId, reason: 'EXPIRED' });
  expect(await levelsOf(productId)).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
  // Keyed by product, not by order: on its own partition, so it may arrive after StockReleased.
  const last = await waitFor(
    async () =>
      (await emitted('StockLevelChanged', productId)).find((e) => e.payload.sequence === 3),
    { what: 'StockLevelChanged sequence 3' },
  );
  expect(last.payload).toMatchObject({ reserved: 0, available: 6, sequence: 3 });
});

test('when CommitStock arrives after the reservation expired, then it answers StockReleased EXPIRED and commits nothing', async () => {
  const productId = await productWithStock(5);
  const orderId = randomUUID();
  await producer.send('ReserveStock', { orderId, lines: [{ productId, quantity: 2 }] });
  await waitFor(async () => (await emitted('StockReleased', orderId))[0], { what: 'the expiry' });

  const commit = await producer.send('CommitStock', { orderId });

  const answer = await waitFor(
    async () => (await emitted('StockReleased', orderId)).find((e) => e.causationId === commit.id),
    { what: 'the answer to CommitStock' },
  );
  expect(answer.payload).toEqual({ orderId, reason: 'EXPIRED' });
  expect(await emitted('StockCommitted', orderId)).toHaveLength(0);
  expect(await levelsOf(productId)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
});
