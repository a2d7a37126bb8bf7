import { randomUUID } from 'node:crypto';
import type { Order } from '@shop/contracts';
import {
  awaitStatus,
  cancelByShortage,
  customerWithCart,
  newCustomer,
  placeOrder,
  startOrder,
  startSagaPlayer,
  type Customer,
  type OrderUnderTest,
  type SagaPlayer,
} from './support/environment';

jest.setTimeout(60_000);

const cap = 5;

let harness: OrderUnderTest;
let player: SagaPlayer;

beforeAll(async () => {
  // Long deadlines: an order stays open until the test itself plays its saga to an end.
  harness = await startOrder({
    MAX_OPEN_UNITS_PER_PRODUCT: String(cap),
    STEP_TIMEOUT: '5m',
    SAGA_TIMEOUT: '10m',
  });
  player = await startSagaPlayer();
}, 60_000);

afterAll(async () => {
  await player?.stop();
  await harness?.close();
}, 60_000);

interface Refusal {
  status: number;
  title: string;
  errors: Array<{ path: string; message: string }>;
}

async function stored(customerId: string) {
  const { rows } = await harness.pool.query<{
    orders: number;
    units: number;
    sagas: number;
    keys: number;
    strayMessages: number;
  }>(
    `SELECT
       (SELECT count(*)::int FROM orders WHERE customer_id = $1) AS orders,
       (SELECT coalesce(sum(i.quantity), 0)::int FROM order_items i
          JOIN orders o ON o.id = i.order_id WHERE o.customer_id = $1) AS units,
       (SELECT count(*)::int FROM sagas s
          JOIN orders o ON o.id = s.order_id WHERE o.customer_id = $1) AS sagas,
       (SELECT count(*)::int FROM idempotency_keys WHERE customer_id = $1) AS keys,
       (SELECT count(*)::int FROM outbox WHERE NOT EXISTS (
          SELECT 1 FROM orders WHERE orders.id::text = outbox.envelope->>'correlationId'))
         AS "strayMessages"`,
    [customerId],
  );
  return rows[0]!;
}

async function confirm(customer: Customer, order: Order): Promise<void> {
  const reserve = await player.awaitSent(order.id, 'ReserveStock');
  await player.reply('StockReserved', reserve.payload, reserve);
  const authorize = await player.awaitSent(order.id, 'AuthorizePayment');
  await player.reply(
    'PaymentAuthorized',
    {
      orderId: order.id,
      paymentId: randomUUID(),
      amountCents: authorize.payload.amountCents,
      currency: authorize.payload.currency,
    },
    authorize,
  );
  const commit = await player.awaitSent(order.id, 'CommitStock');
  await player.reply('StockCommitted', { orderId: order.id }, commit);
  await awaitStatus(harness, customer, order.id, 'CONFIRMED');
}

describe('the cap on units of one product in open orders', () => {
  test('when a second order would take the open units of a product past the cap, then 422 naming that line and nothing is stored', async () => {
    const customer = await customerWithCart(harness, [{ quantity: 3 }, { quantity: 1 }]);
    const capped = customer.products[0]!;
    const first = await placeOrder(harness, customer);
    const before = await stored(customer.id);

    const second = await placeOrder(harness, customer);

    expect(first.status).toBe(202);
    expect(second.status).toBe(422);
    expect(second.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const refusal = second.body as unknown as Refusal;
    expect(refusal).toMatchObject({ status: 422, title: 'Unprocessable Content' });
    expect(refusal.errors.map((error) => error.path)).toEqual([`items.${capped.id}`]);
    expect(refusal.errors[0]!.message).toMatch(
      /at most 5 units .* 3 already are, this order adds 3/,
    );
    expect(await stored(customer.id)).toEqual({ ...before, strayMessages: 0 });
    expect(before).toMatchObject({ orders: 1, units: 4, sagas: 1, keys: 1 });
  });

  test('when an order fills the cap exactly, then it is placed', async () => {
    const customer = await customerWithCart(harness, [{ quantity: 2 }]);
    await placeOrder(harness, customer);
    harness.stubs.putCart(customer.authorization, [
      { product: customer.products[0]!, quantity: cap - 2 },
    ]);

    const response = await placeOrder(harness, customer);

    expect(response.status).toBe(202);
  });

  test.each([
    ['CONFIRMED', confirm],
    [
      'CANCELLED',
      (customer: Customer, order: Order) => cancelByShortage(harness, player, customer, order),
    ],
  ] as const)(
    'when the earlier order ends %s, then its units no longer count and the refused key can be retried',
    async (_ending, end) => {
      const customer = await customerWithCart(harness, [{ quantity: 4 }]);
      const { body: first } = await placeOrder(harness, customer);
      const key = randomUUID();
      const refused = await placeOrder(harness, customer, { key });

      await end(customer, first);
      const retried = await placeOrder(harness, customer, { key });

      expect(refused.status).toBe(422);
      expect(retried.status).toBe(202);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      expect(retried.body).toMatchObject({ status: 'PENDING', items: [{ quantity: 4 }] });
      expect(await stored(customer.id)).toMatchObject({ orders: 2, units: 8, keys: 2 });
    },
  );

  test('when placements race that together pass the cap, then exactly those within it are placed', async () => {
    const customer = await customerWithCart(harness, [{ quantity: 2 }]);

    // Without the customer lock, 16 at once let more than two through every time (8, only some).
    const responses = await Promise.all(
      Array.from({ length: 16 }, () => placeOrder(harness, customer)),
    );

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([202, 202, ...Array<number>(14).fill(422)]);
    expect(await stored(customer.id)).toMatchObject({
      orders: 2,
      units: 4,
      sagas: 2,
      keys: 2,
      strayMessages: 0,
    });
  });

  test('when another customer holds units of the same product, then they do not count', async () => {
    const alice = await customerWithCart(harness, [{ quantity: 4 }]);
    const product = alice.products[0]!;
    await placeOrder(harness, alice);
    const bob = await newCustomer(harness);
    harness.stubs.putCart(bob.authorization, [{ product, quantity: 4 }]);

    const response = await placeOrder(harness, bob);

    expect(response.status).toBe(202);
  });
});
