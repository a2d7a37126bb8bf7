import { randomUUID } from 'node:crypto';
import type { Message, MessageOf } from '@shop/contracts';
import { withTransaction, type Pool } from '@shop/postgres';
import { commitStock } from '../src/domain/commit-stock';
import { startExpirySweeper } from '../src/domain/expiry-sweeper';
import { createStockForProduct } from '../src/domain/product-stock';
import { reserveStock } from '../src/domain/reserve-stock';
import { getStockLevel } from '../src/domain/stock-levels';
import { createMigratedDatabase, logger, uniqueSku } from './support/environment';

jest.setTimeout(60_000);

// The use cases straight against the real Postgres, many at once: atomicity is the database's
// job, so this is where it is proven. No Kafka here; what would be published is read from the
// outbox, which is exactly what the relay would send.

let db: Awaited<ReturnType<typeof createMigratedDatabase>>;
let pool: Pool;

beforeAll(async () => {
  db = await createMigratedDatabase();
  pool = db.pool;
});

afterAll(async () => {
  await db?.close();
});

async function newProduct(initialStock: number): Promise<string> {
  const productId = randomUUID();
  await withTransaction(pool, (tx) =>
    createStockForProduct(
      tx,
      {
        productId,
        sku: uniqueSku(),
        name: 'Test product',
        description: '',
        category: 'test',
        priceCents: 1000,
        currency: 'EUR',
        imageUrl: null,
        initialStock,
      },
      { correlationId: productId },
    ),
  );
  return productId;
}

function reserve(
  orderId: string,
  lines: Array<{ productId: string; quantity: number }>,
  ttlMs = 60_000,
) {
  return withTransaction(pool, (tx) =>
    reserveStock(tx, { orderId, lines }, { ttlMs }, { correlationId: orderId }),
  );
}

async function outbox(): Promise<Message[]> {
  const { rows } = await pool.query<{ envelope: Message }>(
    'SELECT envelope FROM outbox ORDER BY seq',
  );
  return rows.map((row) => row.envelope);
}

async function levelChanges(productId: string): Promise<MessageOf<'StockLevelChanged'>[]> {
  return (await outbox()).filter(
    (message): message is MessageOf<'StockLevelChanged'> =>
      message.type === 'StockLevelChanged' && message.payload.productId === productId,
  );
}

describe('reserving stock concurrently', () => {
  test('when 60 orders race for the last 10 units, then exactly 10 are reserved, all-or-nothing, and the other 50 are refused OUT_OF_STOCK', async () => {
    const scarce = await newProduct(10);
    const plentiful = await newProduct(1_000);
    const orderIds = Array.from({ length: 60 }, () => randomUUID());

    const outcomes = await Promise.all(
      orderIds.map((orderId, index) =>
        // Half of the orders list their lines the other way round: the lock order must not care.
        reserve(
          orderId,
          index % 2 === 0
            ? [
                { productId: scarce, quantity: 1 },
                { productId: plentiful, quantity: 2 },
              ]
            : [
                { productId: plentiful, quantity: 2 },
                { productId: scarce, quantity: 1 },
              ],
        ),
      ),
    );

    const reserved = outcomes.filter((outcome) => outcome.type === 'StockReserved');
    const refused = outcomes.filter((outcome) => outcome.type === 'StockReservationFailed');
    expect(reserved).toHaveLength(10);
    expect(refused).toHaveLength(50);
    for (const outcome of refused) {
      expect(outcome.payload).toMatchObject({
        reason: 'OUT_OF_STOCK',
        shortages: [{ productId: scarce, requested: 1, available: 0 }],
      });
    }
    expect(await getStockLevel(pool, scarce)).toMatchObject({
      onHand: 10,
      reserved: 10,
      available: 0,
    });
    // The refused orders took nothing of the line they could have had.
    expect(await getStockLevel(pool, plentiful)).toMatchObject({ onHand: 1_000, reserved: 20 });
    const { rows } = await pool.query<{ count: string }>(
      `SELECT count(*) FROM stock_items WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand`,
    );
    expect(rows[0]!.count).toBe('0');
  });

  test('when orders race, then every StockLevelChanged of a product has the next sequence and a non-negative availability', async () => {
    const productId = await newProduct(10);

    await Promise.all(
      Array.from({ length: 30 }, () => reserve(randomUUID(), [{ productId, quantity: 1 }])),
    );

    const changes = await levelChanges(productId);
    expect(changes.map((change) => change.payload.sequence)).toEqual(
      Array.from({ length: 11 }, (_, index) => index + 1),
    );
    for (const { payload } of changes) {
      expect(payload.available).toBeGreaterThanOrEqual(0);
      expect(payload.available).toBe(payload.onHand - payload.reserved);
    }
    expect(changes.at(-1)!.payload).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
  });

  test('when the same order is reserved by several transactions at once, then it is reserved once and each gets the same answer', async () => {
    const productId = await newProduct(10);
    const orderId = randomUUID();

    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => reserve(orderId, [{ productId, quantity: 3 }])),
    );

    for (const outcome of outcomes) {
      expect(outcome).toEqual({
        type: 'StockReserved',
        payload: { orderId, lines: [{ productId, quantity: 3 }] },
      });
    }
    expect(await getStockLevel(pool, productId)).toMatchObject({ reserved: 3, available: 7 });
  });

  test('when a write would break 0 ≤ reserved ≤ on hand, then the database refuses it', async () => {
    const productId = await newProduct(1);

    const update = pool.query('UPDATE stock_items SET reserved = 2 WHERE product_id = $1', [
      productId,
    ]);

    await expect(update).rejects.toMatchObject({ code: '23514' });
  });
});

describe('expiry', () => {
  test('when a reservation is committed after its TTL and before any sweep, then nothing is committed and StockReleased EXPIRED answers', async () => {
    const productId = await newProduct(5);
    const orderId = randomUUID();
    await reserve(orderId, [{ productId, quantity: 2 }], 0);

    const outcome = await withTransaction(pool, (tx) =>
      commitStock(tx, { orderId }, { correlationId: orderId }),
    );

    expect(outcome).toEqual({ type: 'StockReleased', payload: { orderId, reason: 'EXPIRED' } });
    expect(await getStockLevel(pool, productId)).toMatchObject({ onHand: 5, reserved: 0 });
  });

  test('when two sweepers run at once, then each expired reservation is released exactly once', async () => {
    const productId = await newProduct(100);
    const orderIds: string[] = Array.from({ length: 20 }, () => randomUUID());
    for (const orderId of orderIds) await reserve(orderId, [{ productId, quantity: 1 }], 0);
    const sweepers = [1, 2].map(() => startExpirySweeper({ pool, intervalMs: 60_000, logger }));

    // Each starts a round at once; an explicit round each makes them overlap for sure.
    await Promise.all(sweepers.map((sweeper) => sweeper.sweep()));
    await Promise.all(sweepers.map((sweeper) => sweeper.stop()));

    const releases = (await outbox()).filter(
      (message) => message.type === 'StockReleased' && orderIds.includes(message.payload.orderId),
    );
    expect(releases).toHaveLength(20);
    expect(await getStockLevel(pool, productId)).toMatchObject({ onHand: 100, reserved: 0 });
  });
});
