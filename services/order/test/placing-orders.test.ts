import { randomUUID } from 'node:crypto';
import {
  orderReconciliationSchema,
  type Order,
  type OrderPage,
  type SagaTimeline,
} from '@shop/contracts';
import {
  api,
  checkoutBody,
  customerWithCart,
  newCustomer,
  placeOrder,
  startOrder,
  startSagaPlayer,
  type OrderUnderTest,
  type SagaPlayer,
} from './support/environment';

jest.setTimeout(60_000);

let harness: OrderUnderTest;
let player: SagaPlayer;

beforeAll(async () => {
  // No replies are played here: long deadlines keep the unanswered sagas quiet.
  harness = await startOrder({ STEP_TIMEOUT: '5m', SAGA_TIMEOUT: '10m' });
  player = await startSagaPlayer();
}, 60_000);

afterAll(async () => {
  await player?.stop();
  await harness?.close();
}, 60_000);

async function ordersStoredFor(customerId: string): Promise<number> {
  const { rows } = await harness.pool.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM orders WHERE customer_id = $1',
    [customerId],
  );
  return rows[0]!.count;
}

describe('POST /api/orders', () => {
  test('when a customer places their cart, then 202 with a PENDING order priced from the catalog', async () => {
    const customer = await customerWithCart(harness, [
      { quantity: 2, priceCents: 1250 },
      { quantity: 1, priceCents: 999 },
    ]);

    const response = await placeOrder(harness, customer);

    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/api/orders/${response.body.id}`);
    expect(response.headers.get('idempotent-replayed')).toBeNull();
    expect(response.body).toMatchObject({
      status: 'PENDING',
      totalCents: 2 * 1250 + 999,
      currency: 'EUR',
      items: [
        { productId: customer.products[0]!.id, unitPriceCents: 1250, quantity: 2 },
        { productId: customer.products[1]!.id, unitPriceCents: 999, quantity: 1 },
      ],
      history: [{ status: 'PENDING' }],
    });
    // What was stored, every line in its order, reads back the same.
    const stored = await api<Order>(harness, 'GET', `/api/orders/${response.body.id}`, {
      customer,
    });
    expect(stored.body.items).toEqual(response.body.items);
    expect(stored.body.history).toEqual(response.body.history);
  });

  test('when an order is placed, then ReserveStock and OrderPlaced leave through the outbox', async () => {
    const customer = await customerWithCart(harness, [{ quantity: 3 }]);

    const { body: order } = await placeOrder(harness, customer);

    const reserve = await player.awaitSent(order.id, 'ReserveStock');
    const placed = await player.awaitSent(order.id, 'OrderPlaced');
    expect(reserve).toMatchObject({
      correlationId: order.id,
      source: 'order',
      payload: { orderId: order.id, lines: [{ productId: customer.products[0]!.id, quantity: 3 }] },
    });
    expect(placed.payload).toMatchObject({ orderId: order.id, customerId: customer.id });
  });

  test('when the same key and body come again, then the first order is replayed', async () => {
    const customer = await customerWithCart(harness);
    const key = randomUUID();
    const first = await placeOrder(harness, customer, { key });
    const cartReadsBefore = harness.stubs.calls.cart;

    const second = await placeOrder(harness, customer, { key });

    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(`/api/orders/${first.body.id}`);
    expect(second.body).toEqual(first.body);
    expect(harness.stubs.calls.cart).toBe(cartReadsBefore);
    expect(await ordersStoredFor(customer.id)).toBe(1);
  });

  test('when the same key comes with a different body, then 422 and no second order', async () => {
    const customer = await customerWithCart(harness);
    const key = randomUUID();
    await placeOrder(harness, customer, { key });

    const response = await placeOrder(harness, customer, {
      key,
      body: checkoutBody('tok_mastercard'),
    });

    expect(response.status).toBe(422);
    expect(await ordersStoredFor(customer.id)).toBe(1);
  });

  test('when another customer uses the same key, then it is their own, separate order', async () => {
    const key = randomUUID();
    const alice = await customerWithCart(harness);
    const bob = await customerWithCart(harness);

    const forAlice = await placeOrder(harness, alice, { key });
    const forBob = await placeOrder(harness, bob, { key });

    expect(forBob.status).toBe(202);
    expect(forBob.headers.get('idempotent-replayed')).toBeNull();
    expect(forBob.body.id).not.toBe(forAlice.body.id);
  });

  test('when 20 requests with one key race, then exactly one order is placed', async () => {
    const customer = await customerWithCart(harness);
    const key = randomUUID();

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => placeOrder(harness, customer, { key })),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(202));
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    expect(
      responses.filter((response) => response.headers.get('idempotent-replayed') === null),
    ).toHaveLength(1);
    expect(await ordersStoredFor(customer.id)).toBe(1);
  });

  test('when the cart is empty, then 422 and nothing is stored', async () => {
    const customer = await newCustomer(harness);

    const response = await placeOrder(harness, customer);

    expect(response.status).toBe(422);
    expect(await ordersStoredFor(customer.id)).toBe(0);
  });

  test('when the Idempotency-Key header is missing or too long, then 400', async () => {
    const customer = await customerWithCart(harness);

    const missing = await api(harness, 'POST', '/api/orders', { customer, body: checkoutBody() });
    const tooLong = await placeOrder(harness, customer, { key: 'k'.repeat(256) });

    expect(missing.status).toBe(400);
    expect(tooLong.status).toBe(400);
    expect(await ordersStoredFor(customer.id)).toBe(0);
  });

  test('when the body carries an unknown field, then 400 naming it', async () => {
    const customer = await customerWithCart(harness);

    const response = await api<{ errors: Array<{ path: string }> }>(
      harness,
      'POST',
      '/api/orders',
      {
        customer,
        body: { ...checkoutBody(), totalCents: 1 },
        headers: { 'idempotency-key': randomUUID() },
      },
    );

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'totalCents' })]);
  });

  test('when there is no token, then 401', async () => {
    const response = await api(harness, 'POST', '/api/orders', {
      body: checkoutBody(),
      headers: { 'idempotency-key': randomUUID() },
    });

    expect(response.status).toBe(401);
  });

  test.each(['catalog', 'cart'] as const)(
    'when the %s is unavailable, then 503 and nothing is stored',
    async (upstream) => {
      const customer = await customerWithCart(harness);
      harness.stubs.failing[upstream] = true;
      try {
        const response = await placeOrder(harness, customer);

        expect(response.status).toBe(503);
        expect(await ordersStoredFor(customer.id)).toBe(0);
      } finally {
        harness.stubs.failing[upstream] = false;
      }
    },
  );
});

describe('reading orders', () => {
  test('when the owner reads the order and its saga, then both are there', async () => {
    const customer = await customerWithCart(harness);
    const { body: placed } = await placeOrder(harness, customer);

    const order = await api<Order>(harness, 'GET', `/api/orders/${placed.id}`, { customer });
    const saga = await api<SagaTimeline>(harness, 'GET', `/api/orders/${placed.id}/saga`, {
      customer,
    });

    expect(order.status).toBe(200);
    expect(order.body.id).toBe(placed.id);
    expect(saga.body).toMatchObject({
      orderId: placed.id,
      status: 'RUNNING',
      orderStatus: 'PENDING',
      steps: [
        { name: 'RESERVE_STOCK', command: 'ReserveStock', status: 'AWAITING_REPLY', attempts: 1 },
        { name: 'AUTHORIZE_PAYMENT', status: 'PENDING', attempts: 0 },
        { name: 'COMMIT_STOCK', status: 'PENDING', attempts: 0 },
      ],
      compensations: [],
    });
  });

  test('when another customer asks for the order or its saga, then 404 as if it did not exist', async () => {
    const owner = await customerWithCart(harness);
    const stranger = await newCustomer(harness);
    const { body: placed } = await placeOrder(harness, owner);

    const order = await api(harness, 'GET', `/api/orders/${placed.id}`, { customer: stranger });
    const saga = await api(harness, 'GET', `/api/orders/${placed.id}/saga`, { customer: stranger });
    const missing = await api(harness, 'GET', `/api/orders/${randomUUID()}`, {
      customer: stranger,
    });

    expect([order.status, saga.status, missing.status]).toEqual([404, 404, 404]);
  });

  test('when an admin asks for a customer’s saga, then it is shown', async () => {
    const owner = await customerWithCart(harness);
    const admin = await newCustomer(harness, 'admin');
    const { body: placed } = await placeOrder(harness, owner);

    const saga = await api<SagaTimeline>(harness, 'GET', `/api/orders/${placed.id}/saga`, {
      customer: admin,
    });

    expect(saga.status).toBe(200);
    expect(saga.body.orderId).toBe(placed.id);
  });

  test('when a customer lists orders, then only their own, newest first, a page at a time', async () => {
    const customer = await customerWithCart(harness);
    const placed: Order[] = [];
    for (let index = 0; index < 3; index += 1)
      placed.push((await placeOrder(harness, customer)).body);
    await placeOrder(harness, await customerWithCart(harness));

    const first = await api<OrderPage>(harness, 'GET', '/api/orders?pageSize=2', { customer });
    const second = await api<OrderPage>(harness, 'GET', '/api/orders?pageSize=2&page=2', {
      customer,
    });

    expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: 3 });
    expect([...first.body.items, ...second.body.items].map((order) => order.id)).toEqual(
      placed.map((order) => order.id).reverse(),
    );
  });

  test('when an id is not a UUID, then 400', async () => {
    const customer = await newCustomer(harness);

    const response = await api(harness, 'GET', '/api/orders/not-a-uuid', { customer });

    expect(response.status).toBe(400);
  });
});

describe('GET /api/orders/reconciliation/summary', () => {
  test('when an admin asks, then orders are counted by status and quantities by product, as documented', async () => {
    const customer = await customerWithCart(harness, [{ quantity: 4 }]);
    const admin = await newCustomer(harness, 'admin');
    await placeOrder(harness, customer);

    const response = await api(harness, 'GET', '/api/orders/reconciliation/summary', {
      customer: admin,
    });

    expect(response.status).toBe(200);
    const summary = orderReconciliationSchema.parse(response.body);
    expect(summary.ordersByStatus.PENDING).toBeGreaterThanOrEqual(1);
    expect(summary.inFlightOrders).toBeGreaterThanOrEqual(1);
    expect(summary.products).toContainEqual({
      productId: customer.products[0]!.id,
      confirmed: 0,
      inFlight: 4,
    });
  });

  test('when a customer asks, then 403', async () => {
    const customer = await newCustomer(harness);

    const response = await api(harness, 'GET', '/api/orders/reconciliation/summary', { customer });

    expect(response.status).toBe(403);
  });
});
