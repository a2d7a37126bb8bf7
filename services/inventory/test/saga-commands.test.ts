import { randomUUID } from 'node:crypto';
import { topics, type MessageType, type StockLevel } from '@shop/contracts';
import type { Collector } from '@shop/messaging/testing';
import {
  kafka,
  send,
  startInventory,
  uniqueSku,
  type InventoryUnderTest,
} from './support/environment';
import { waitFor } from '@shop/testkit';

jest.setTimeout(90_000);

// The service in-process against the real Postgres and Kafka; the test plays the catalog and the
// order saga by producing to the file's own copy of the topics, and reads what inventory answered.

let inventory: InventoryUnderTest;
let events: Collector;
let deadLetters: Collector;

beforeAll(async () => {
  [inventory, events, deadLetters] = await Promise.all([
    startInventory(),
    kafka.collect(topics.inventoryEvents, topics.inventoryStockLevels),
    kafka.collect(`${topics.inventoryCommands}.dlq`),
  ]);
});

afterAll(async () => {
  await Promise.all([events?.stop(), deadLetters?.stop()]);
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
    name: 'Component test product',
    description: 'made by a test',
    category: 'test',
    priceCents: 1_500,
    currency: 'EUR',
    imageUrl: null,
    initialStock,
  });
  await waitFor(() => levelsOf(productId), { what: `stock row of ${productId}` });
  return productId;
}

function answersTo<T extends MessageType>(type: T, orderId: string, count = 1) {
  return waitFor(
    () => {
      const found = events.envelopes(type, orderId);
      return found.length >= count && found;
    },
    { what: `${count} × ${type} for ${orderId}` },
  );
}

describe('catalog events', () => {
  test('when a product is created, then its stock row holds the initial stock and StockLevelChanged sequence 1 is emitted', async () => {
    const productId = randomUUID();
    const sku = uniqueSku();

    await send('ProductCreated', {
      productId,
      sku,
      name: 'Lamp',
      description: 'A lamp',
      category: 'lighting',
      priceCents: 4_999,
      currency: 'EUR',
      imageUrl: null,
      initialStock: 25,
    });

    const [changed] = await answersTo('StockLevelChanged', productId);
    expect(changed!.payload).toEqual({
      productId,
      sku,
      onHand: 25,
      reserved: 0,
      available: 25,
      sequence: 1,
    });
    expect(changed!.source).toBe('inventory');
    expect(await levelsOf(productId)).toEqual({
      productId,
      sku,
      onHand: 25,
      reserved: 0,
      available: 25,
    });
  });

  test('when ProductCreated arrives twice (new id) and ProductUpdated changes the sku, then one row keeps its levels with the new sku', async () => {
    const productId = randomUUID();
    const product = {
      productId,
      sku: uniqueSku(),
      name: 'Chair',
      description: '',
      category: 'furniture',
      priceCents: 9_900,
      currency: 'EUR',
      imageUrl: null,
    };
    await send('ProductCreated', { ...product, initialStock: 4 });
    await send('ProductCreated', { ...product, initialStock: 99 });
    const renamed = uniqueSku();

    await send('ProductUpdated', { ...product, sku: renamed });

    await waitFor(async () => (await levelsOf(productId))?.sku === renamed, {
      what: 'the new sku',
    });
    expect(await levelsOf(productId)).toMatchObject({ onHand: 4, reserved: 0 });
    // The HTTP view can be ahead of the event stream: wait for the one change, then no more.
    await answersTo('StockLevelChanged', productId);
    expect(events.envelopes('StockLevelChanged', productId)).toHaveLength(1);
  });
});

describe('the saga commands', () => {
  test('when an order is reserved and then committed, then StockReserved and StockCommitted answer and the units leave on hand', async () => {
    const productId = await productWithStock(10);
    const orderId = randomUUID();

    const command = await send('ReserveStock', {
      orderId,
      lines: [{ productId, quantity: 3 }],
    });
    const [reserved] = await answersTo('StockReserved', orderId);

    expect(reserved!.payload).toEqual({ orderId, lines: [{ productId, quantity: 3 }] });
    expect(reserved!).toMatchObject({ correlationId: orderId, causationId: command.id });
    expect(await levelsOf(productId)).toMatchObject({ onHand: 10, reserved: 3, available: 7 });

    await send('CommitStock', { orderId });
    await answersTo('StockCommitted', orderId);

    expect(await levelsOf(productId)).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    // Keyed by product, not by order: on its own partition, so it may arrive after StockCommitted.
    const changes = await answersTo('StockLevelChanged', productId, 3);
    expect(changes.map((e) => e.payload.sequence)).toEqual([1, 2, 3]);
  });

  test('when a reservation is released, then StockReleased answers with the reason and the units are available again', async () => {
    const productId = await productWithStock(5);
    const orderId = randomUUID();
    await send('ReserveStock', { orderId, lines: [{ productId, quantity: 5 }] });
    await answersTo('StockReserved', orderId);

    await send('ReleaseStock', { orderId, reason: 'PAYMENT_DECLINED' });

    const [released] = await answersTo('StockReleased', orderId);
    expect(released!.payload).toEqual({ orderId, reason: 'PAYMENT_DECLINED' });
    expect(await levelsOf(productId)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
  });

  test('when one line of an order is short, then StockReservationFailed lists it and no line is reserved', async () => {
    const enough = await productWithStock(10);
    const short = await productWithStock(1);
    const orderId = randomUUID();

    await send('ReserveStock', {
      orderId,
      lines: [
        { productId: enough, quantity: 2 },
        { productId: short, quantity: 3 },
      ],
    });

    const [failed] = await answersTo('StockReservationFailed', orderId);
    expect(failed!.payload).toEqual({
      orderId,
      reason: 'OUT_OF_STOCK',
      shortages: [{ productId: short, requested: 3, available: 1 }],
    });
    expect(await levelsOf(enough)).toMatchObject({ reserved: 0 });
    expect(await levelsOf(short)).toMatchObject({ reserved: 0 });
  });

  test('when an order names a product inventory does not know, then StockReservationFailed UNKNOWN_PRODUCT answers', async () => {
    const unknown = randomUUID();
    const orderId = randomUUID();

    await send('ReserveStock', { orderId, lines: [{ productId: unknown, quantity: 1 }] });

    const [failed] = await answersTo('StockReservationFailed', orderId);
    expect(failed!.payload).toEqual({
      orderId,
      reason: 'UNKNOWN_PRODUCT',
      shortages: [{ productId: unknown, requested: 1, available: 0 }],
    });
  });

  test('when a committed order is cancelled by its customer, then its units come back on hand', async () => {
    const productId = await productWithStock(8);
    const orderId = randomUUID();
    await send('ReserveStock', { orderId, lines: [{ productId, quantity: 2 }] });
    await send('CommitStock', { orderId });
    await answersTo('StockCommitted', orderId);

    await send('ReleaseStock', { orderId, reason: 'CUSTOMER_CANCELLED' });

    const [released] = await answersTo('StockReleased', orderId);
    expect(released!.payload.reason).toBe('CUSTOMER_CANCELLED');
    expect(await levelsOf(productId)).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
  });

  test('when an order that was never reserved is released, then StockReleased answers and nothing changes', async () => {
    const productId = await productWithStock(3);
    const orderId = randomUUID();

    await send('ReleaseStock', { orderId, reason: 'TIMEOUT' });
    await answersTo('StockReleased', orderId);
    // A ReserveStock arriving after its own compensation must not hold units nobody would free.
    await send('ReserveStock', { orderId, lines: [{ productId, quantity: 1 }] });

    const [, again] = await answersTo('StockReleased', orderId, 2);
    expect(again!.payload).toEqual({ orderId, reason: 'TIMEOUT' });
    expect(await levelsOf(productId)).toMatchObject({ onHand: 3, reserved: 0 });
  });
});

describe('idempotency', () => {
  test('when the same ReserveStock message is delivered twice, then it has one effect and one answer', async () => {
    const productId = await productWithStock(10);
    const orderId = randomUUID();
    const id = randomUUID();
    const lines = [{ productId, quantity: 4 }];

    await send('ReserveStock', { orderId, lines }, { id });
    await send('ReserveStock', { orderId, lines }, { id });
    // A later command on the same partition: once it is answered, both copies were consumed.
    await send('CommitStock', { orderId });
    await answersTo('StockCommitted', orderId);

    expect(events.envelopes('StockReserved', orderId)).toHaveLength(1);
    expect(await levelsOf(productId)).toMatchObject({ onHand: 6, reserved: 0 });
  });

  test('when the saga re-sends ReserveStock (new id, same order), then the same StockReserved answers and nothing more is reserved', async () => {
    const productId = await productWithStock(10);
    const orderId = randomUUID();
    const lines = [{ productId, quantity: 4 }];
    await send('ReserveStock', { orderId, lines });
    await answersTo('StockReserved', orderId);

    const resent = await send('ReserveStock', { orderId, lines });

    const [first, second] = await answersTo('StockReserved', orderId, 2);
    expect(second!.payload).toEqual(first!.payload);
    expect(second!.causationId).toBe(resent.id);
    expect(await levelsOf(productId)).toMatchObject({ reserved: 4, available: 6 });
    // Keyed by product: may arrive after the answers keyed by order.
    await answersTo('StockLevelChanged', productId, 2);
    expect(events.envelopes('StockLevelChanged', productId)).toHaveLength(2);
  });

  test('when a refused order is re-sent, then the same StockReservationFailed answers', async () => {
    const productId = await productWithStock(1);
    const orderId = randomUUID();
    await send('ReserveStock', { orderId, lines: [{ productId, quantity: 2 }] });
    await answersTo('StockReservationFailed', orderId);

    await send('ReserveStock', { orderId, lines: [{ productId, quantity: 2 }] });

    const [first, second] = await answersTo('StockReservationFailed', orderId, 2);
    expect(second!.payload).toEqual(first!.payload);
  });

  test('when CommitStock and ReleaseStock are re-sent for a finished order, then the first outcome is repeated and the levels stay', async () => {
    const committedProduct = await productWithStock(10);
    const committed = randomUUID();
    await send('ReserveStock', {
      orderId: committed,
      lines: [{ productId: committedProduct, quantity: 1 }],
    });
    await send('CommitStock', { orderId: committed });
    await send('CommitStock', { orderId: committed });
    const releasedProduct = await productWithStock(10);
    const released = randomUUID();
    await send('ReserveStock', {
      orderId: released,
      lines: [{ productId: releasedProduct, quantity: 1 }],
    });
    await send('ReleaseStock', { orderId: released, reason: 'PAYMENT_DECLINED' });
    await send('ReleaseStock', { orderId: released, reason: 'TIMEOUT' });

    await answersTo('StockCommitted', committed, 2);
    const releases = await answersTo('StockReleased', released, 2);

    expect(releases.map((event) => event.payload.reason)).toEqual([
      'PAYMENT_DECLINED',
      'PAYMENT_DECLINED',
    ]);
    expect(await levelsOf(committedProduct)).toMatchObject({ onHand: 9, reserved: 0 });
    expect(await levelsOf(releasedProduct)).toMatchObject({ onHand: 10, reserved: 0 });
  });
});

describe('through Kafka under contention', () => {
  test('when 50 orders are sent at once for the last 10 units, then exactly 10 are reserved and 40 refused', async () => {
    const productId = await productWithStock(10);
    const orderIds = Array.from({ length: 50 }, () => randomUUID());

    await Promise.all(
      orderIds.map((orderId) =>
        send('ReserveStock', { orderId, lines: [{ productId, quantity: 1 }] }),
      ),
    );

    const answers = await waitFor(
      () => {
        const found = orderIds.map(
          (orderId) =>
            events.envelopes('StockReserved', orderId)[0] ??
            events.envelopes('StockReservationFailed', orderId)[0],
        );
        return found.every(Boolean) && found;
      },
      { what: 'an answer to each of the 50 orders' },
    );
    expect(answers.filter((answer) => answer!.type === 'StockReserved')).toHaveLength(10);
    const refused = answers.filter((answer) => answer!.type === 'StockReservationFailed');
    expect(refused).toHaveLength(40);
    for (const answer of refused) {
      expect(answer!.payload).toMatchObject({
        reason: 'OUT_OF_STOCK',
        shortages: [{ productId, available: 0 }],
      });
    }
    expect(await levelsOf(productId)).toEqual(
      expect.objectContaining({ onHand: 10, reserved: 10, available: 0 }),
    );
  });
});

describe('dead letters', () => {
  test('when a ReserveStock is malformed, then it lands in the dead-letter topic and the consumer goes on', async () => {
    const key = randomUUID();
    const malformed = {
      id: randomUUID(),
      type: 'ReserveStock',
      version: 1,
      occurredAt: new Date().toISOString(),
      source: 'inventory-test',
      correlationId: key,
      payload: { orderId: key, lines: [] },
    };
    const productId = await productWithStock(2);
    const next = randomUUID();

    await kafka.publish({ topic: topics.inventoryCommands, key, value: JSON.stringify(malformed) });
    await send('ReserveStock', { orderId: next, lines: [{ productId, quantity: 1 }] });

    const letter = await waitFor(
      () => deadLetters.messages.find((message) => message.key === key),
      { what: 'the dead letter' },
    );
    expect(letter.headers).toMatchObject({
      'dlq-reason': 'invalid-message',
      'dlq-original-topic': kafka.namespaced(topics.inventoryCommands),
    });
    expect(JSON.parse(letter.value!)).toEqual(malformed);
    await answersTo('StockReserved', next);
  });
});
