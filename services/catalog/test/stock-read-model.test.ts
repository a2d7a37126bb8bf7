import { randomUUID } from 'node:crypto';
import { startTestIssuer, type TestIssuer } from '@shop/auth/testing';
import { dlqTopic, topics, type Product } from '@shop/contracts';
import type { Collector } from '@shop/messaging/testing';
import request from 'supertest';
import { kafka, startCatalog, type CatalogUnderTest } from './support/environment';
import { stockLevelChanged } from './support/messages';
import { uniqueName, waitFor } from '@shop/testkit';

jest.setTimeout(90_000);

let issuer: TestIssuer;
let catalog: CatalogUnderTest;
let deadLetters: Collector;

beforeAll(async () => {
  issuer = await startTestIssuer();
  catalog = await startCatalog(issuer);
  deadLetters = await kafka.collect(dlqTopic(topics.inventoryStockLevels));
});

afterAll(async () => {
  await deadLetters?.stop();
  await catalog?.close();
  await issuer?.close();
});

async function createProduct(initialStock = 100): Promise<Product> {
  const response = await request(catalog.url)
    .post('/api/products')
    .set('Authorization', `Bearer ${await issuer.tokenFor('admin')}`)
    .send({
      sku: uniqueName('STOCK').toUpperCase(),
      name: 'Camping Lantern',
      description: 'A lantern for the tent.',
      category: 'outdoor',
      priceCents: 2_999,
      currency: 'EUR',
      initialStock,
    })
    .expect(201);
  return response.body as Product;
}

async function stockOf(productId: string): Promise<Product['stock']> {
  const response = await request(catalog.url).get(`/api/products/${productId}`).expect(200);
  return (response.body as Product).stock;
}

/** The inbox row is written in the handler's transaction: once it is there, the effect is too. */
function handled(messageId: string): Promise<boolean> {
  return waitFor(
    async () => {
      const { rowCount } = await catalog.db.query('SELECT 1 FROM inbox WHERE message_id = $1', [
        messageId,
      ]);
      return rowCount === 1;
    },
    { what: `message ${messageId} to be handled` },
  );
}

describe('the stock read model', () => {
  it('when inventory reports a level, then the product shows it as of the event', async () => {
    const product = await createProduct(100);
    const occurredAt = new Date(Date.now() - 5_000);
    const level = stockLevelChanged({
      productId: product.id,
      sku: product.sku,
      available: 8,
      reserved: 2,
      sequence: 3,
      occurredAt,
    });

    await kafka.publish(level);
    await handled(level.id);

    expect(await stockOf(product.id)).toEqual({
      available: 8,
      status: 'LOW_STOCK',
      asOf: occurredAt.toISOString(),
    });
  });

  it('when an older level arrives after a newer one, then it changes nothing', async () => {
    const product = await createProduct();
    const newer = stockLevelChanged({
      productId: product.id,
      sku: product.sku,
      available: 50,
      sequence: 5,
      occurredAt: new Date(Date.now() - 1_000),
    });
    const older = stockLevelChanged({
      productId: product.id,
      sku: product.sku,
      available: 0,
      sequence: 3,
      occurredAt: new Date(),
    });

    await kafka.publish(newer, older);
    await handled(older.id);

    expect(await stockOf(product.id)).toEqual({
      available: 50,
      status: 'IN_STOCK',
      asOf: newer.occurredAt,
    });
  });

  it('when a level repeats a sequence already applied, then it changes nothing', async () => {
    const product = await createProduct();
    const first = stockLevelChanged({
      productId: product.id,
      sku: product.sku,
      available: 40,
      sequence: 7,
    });
    const duplicate = stockLevelChanged({
      productId: product.id,
      sku: product.sku,
      available: 1,
      sequence: 7,
    });

    await kafka.publish(first, duplicate);
    await handled(duplicate.id);

    expect(await stockOf(product.id)).toMatchObject({ available: 40, asOf: first.occurredAt });
  });

  it('when the same message is delivered twice, then it is applied once', async () => {
    const product = await createProduct();
    const level = stockLevelChanged({
      productId: product.id,
      sku: product.sku,
      available: 12,
      sequence: 1,
    });
    const later = stockLevelChanged({
      productId: product.id,
      sku: product.sku,
      available: 30,
      sequence: 2,
    });

    // Same key, same partition, in order: once the marker is handled, so is the second copy.
    const marker = stockLevelChanged({
      productId: product.id,
      sku: product.sku,
      available: 0,
      sequence: 0,
    });

    await kafka.publish(level, later, level, marker);
    await handled(marker.id);

    const { rows } = await catalog.db.query<{ count: string }>(
      'SELECT count(*) FROM inbox WHERE message_id = $1',
      [level.id],
    );
    expect(Number(rows[0]!.count)).toBe(1);
    expect(await stockOf(product.id)).toMatchObject({ available: 30, asOf: later.occurredAt });
  });

  it('when a level is for a product the catalog does not know, then it is ignored', async () => {
    const stranger = stockLevelChanged({
      productId: randomUUID(),
      sku: 'SOMEONE-ELSES',
      available: 5,
      sequence: 1,
    });

    await kafka.publish(stranger);
    await handled(stranger.id);

    const { rowCount } = await catalog.db.query(
      'SELECT 1 FROM product_stock WHERE product_id = $1',
      [stranger.payload.productId],
    );
    expect(rowCount).toBe(0);
  });

  it('when a level is malformed, then it goes to the dead-letter topic and the next one is applied', async () => {
    const product = await createProduct();
    const malformed = stockLevelChanged({
      productId: product.id,
      sku: product.sku,
      available: 10,
      sequence: 1,
    });
    malformed.payload.available = 999;
    const next = stockLevelChanged({
      productId: product.id,
      sku: product.sku,
      available: 77,
      sequence: 2,
    });

    await kafka.publish(
      { topic: topics.inventoryStockLevels, key: product.id, value: JSON.stringify(malformed) },
      { topic: topics.inventoryStockLevels, key: product.id, value: '{not json' },
      next,
    );

    await handled(next.id);
    expect((await stockOf(product.id)).available).toBe(77);
    const letters = await waitFor(() => {
      const ours = deadLetters.messages.filter(
        (letter) =>
          letter.key === product.id && letter.headers['dlq-consumer'] === 'catalog-stock-levels',
      );
      return ours.length >= 2 && ours;
    });
    expect(new Set(letters.map((letter) => letter.headers['dlq-reason']))).toEqual(
      new Set(['invalid-json', 'invalid-message']),
    );
    expect(new Set(letters.map((letter) => letter.headers['dlq-original-topic']))).toEqual(
      new Set([kafka.namespaced(topics.inventoryStockLevels)]),
    );
  });
});
