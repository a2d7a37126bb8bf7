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
let productId: string;
let sku: string;

beforeAll(async () => {
  [inventory, events] = await Promise.all([
    startInventory(),
    kafka.collect(topics.inventoryStockLevels),
  ]);
  productId = randomUUID();
  sku = uniqueSku();
  await send('ProductCreated', {
    productId,
    sku,
    name: 'Desk',
    description: '',
    category: 'furniture',
    priceCents: 25_000,
    currency: 'EUR',
    imageUrl: null,
    initialStock: 3,
  });
  await waitFor(async () => (await get(productId)).status === 200, { what: 'the stock row' });
});

afterAll(async () => {
  await events?.stop();
  await inventory?.close();
});

function get(id: string): Promise<Response> {
  return fetch(`${inventory.service.url}/api/inventory/${id}`);
}

async function restock(id: string, body: unknown, token?: string): Promise<Response> {
  return fetch(`${inventory.service.url}/api/inventory/${id}/restock`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
}

describe('GET /api/inventory/:productId', () => {
  test('when the product has stock, then 200 with its authoritative levels', async () => {
    const response = await get(productId);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ productId, sku, onHand: 3, reserved: 0, available: 3 });
  });

  test('when the product is unknown, then 404 problem', async () => {
    const response = await get(randomUUID());

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  test('when the id is not a UUID, then 400 naming the field', async () => {
    const response = await get('not-a-uuid');

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ path: 'productId' }] });
  });
});

describe('POST /api/inventory/:productId/restock', () => {
  test('when an admin restocks, then 200 with the new levels and StockLevelChanged is emitted', async () => {
    const before = (await (await get(productId)).json()) as StockLevel;
    const token = await inventory.issuer.tokenFor('admin');

    const response = await restock(productId, { quantity: 7 }, token);

    expect(response.status).toBe(200);
    const after = (await response.json()) as StockLevel;
    expect(after).toEqual({
      productId,
      sku,
      onHand: before.onHand + 7,
      reserved: before.reserved,
      available: before.available + 7,
    });
    const changed = await waitFor(
      () =>
        events
          .envelopes('StockLevelChanged', productId)
          .find((e) => e.payload.onHand === after.onHand),
      { what: 'the restock StockLevelChanged' },
    );
    expect(changed.payload.sequence).toBeGreaterThan(1);
  });

  test('when a customer restocks, then 403', async () => {
    const response = await restock(
      productId,
      { quantity: 1 },
      await inventory.issuer.tokenFor('customer'),
    );

    expect(response.status).toBe(403);
  });

  test('when nobody is signed in, then 401', async () => {
    const response = await restock(productId, { quantity: 1 });

    expect(response.status).toBe(401);
  });

  test.each([
    ['a zero quantity', { quantity: 0 }],
    ['too many units', { quantity: 100_001 }],
    ['a fraction', { quantity: 1.5 }],
    ['an unknown field', { quantity: 1, sku: 'X' }],
    ['no quantity', {}],
  ])('when the body has %s, then 400', async (_what, body) => {
    const response = await restock(productId, body, await inventory.issuer.tokenFor('admin'));

    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors?: unknown[] };
    expect(problem.errors?.length).toBeGreaterThan(0);
  });

  test('when the product is unknown, then 404', async () => {
    const response = await restock(
      randomUUID(),
      { quantity: 1 },
      await inventory.issuer.tokenFor('admin'),
    );

    expect(response.status).toBe(404);
  });
});
