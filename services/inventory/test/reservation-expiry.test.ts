import { randomUUID } from 'node:crypto';
import { topics, type StockLevel } from '@shop/contracts';
import type { Collector } from '@shop/messaging/testing';
import {
  kafka,
  send,
  startInventory,
  uniqueSku,
  type InventoryUnderTest,
} from './support/environment';
import { waitFor } from '@shop/testkit';

jest.setTimeout(60_000);

let inventory: InventoryUnderTest;
let events: Collector;

beforeAll(async () => {
  [inventory, events] = await Promise.all([
    startInventory({ RESERVATION_TTL: '1s', RESERVATION_SWEEP_INTERVAL: '200ms' }),
    kafka.collect(topics.inventoryEvents, topics.inventoryStockLevels),
  ]);
});

afterAll(async () => {
  await events?.stop();
  await inventory?.close();
});

async function levelsOf(productId: string): Promise<StockLevel | undefined> {
  const response = await fetch(`${inventory.service.url}/api/inventory/${productId}`);
  return response.status === 200 ? ((await response.json()) as StockLevel) : undefined;
}

async function productWithStock(initialStock: number): Promise<string> {
  const productId = randomUUID();
  await send('ProductCreated', {
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

  await send('ReserveStock', { orderId, lines: [{ productId, quantity: 4 }] });
  await waitFor(() => events.envelopes('StockReserved', orderId)[0], {
    what: 'StockReserved',
  });

  const released = await waitFor(() => events.envelopes('StockReleased', orderId)[0], {
    what: 'StockReleased EXPIRED',
  });
  expect(released.payload).toEqual({ orderId, reason: 'EXPIRED' });
  expect(await levelsOf(productId)).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
  // Keyed by product, not by order: on its own partition, so it may arrive after StockReleased.
  const last = await waitFor(
    () => events.envelopes('StockLevelChanged', productId).find((e) => e.payload.sequence === 3),
    { what: 'StockLevelChanged sequence 3' },
  );
  expect(last.payload).toMatchObject({ reserved: 0, available: 6, sequence: 3 });
});

test('when CommitStock arrives after the reservation expired, then it answers StockReleased EXPIRED and commits nothing', async () => {
  const productId = await productWithStock(5);
  const orderId = randomUUID();
  await send('ReserveStock', { orderId, lines: [{ productId, quantity: 2 }] });
  await waitFor(() => events.envelopes('StockReleased', orderId)[0], { what: 'the expiry' });

  const commit = await send('CommitStock', { orderId });

  const answer = await waitFor(
    () => events.envelopes('StockReleased', orderId).find((e) => e.causationId === commit.id),
    { what: 'the answer to CommitStock' },
  );
  expect(answer.payload).toEqual({ orderId, reason: 'EXPIRED' });
  expect(events.envelopes('StockCommitted', orderId)).toHaveLength(0);
  expect(await levelsOf(productId)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
});
