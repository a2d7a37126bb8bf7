import { randomUUID } from 'node:crypto';
import { notificationPageSchema, orderSchema, systemHealthSchema } from '@shop/contracts';
import { waitUntil } from '../../src/processes';
import { startTestbed, type Testbed } from '../../src/testbed';
import { gatewayClient } from './shopper';

/**
 * The whole system as separate processes (seven services and the gateway, each with its own
 * database and a private copy of the Kafka topics), driven only through the gateway, the way a
 * customer's client would: the saga, the outbox/inbox hops and the breakers are all real.
 */
let bed: Testbed;
let shop: ReturnType<typeof gatewayClient>;
let admin: string;

beforeAll(async () => {
  bed = await startTestbed(
    ['identity', 'catalog', 'inventory', 'payment', 'notification', 'cart', 'order', 'gateway'],
    { payment: { PROCESSOR_RETRY_BASE: '20ms', PROCESSOR_RETRY_MAX: '100ms' } },
  );
  shop = gatewayClient(bed);
  admin = await bed.adminToken();
}, 240_000);

afterAll(async () => {
  await bed?.stop();
}, 120_000);

test('when a customer checks out with tok_visa, then the order is CONFIRMED, stock committed, the cart emptied, the email sent and listed', async () => {
  const product = await shop.createProduct(admin, 5, 2_500);
  const customer = await bed.newCustomer();
  await shop.addToCart(customer, product.id, 2);

  const placed = await shop.placeOrder(customer, 'tok_visa');
  expect(placed.status).toBe(202);
  const order = orderSchema.parse(await placed.json());
  expect(placed.headers.get('location')).toBe(`/api/orders/${order.id}`);
  expect(order).toMatchObject({ status: 'PENDING', totalCents: 5_000, currency: 'EUR' });

  const settled = await shop.settled(customer, order.id);
  expect(settled.status).toBe('CONFIRMED');
  expect(settled.history.map((entry) => entry.status)).toEqual([
    'PENDING',
    'STOCK_RESERVED',
    'CONFIRMED',
  ]);
  expect(await shop.stock(product.id)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });

  expect(
    await waitUntil(async () => (await shop.cart(customer)).items.length === 0, {
      timeoutMs: 30_000,
    }),
  ).toBe(true);
  const email = await bed.mail!.waitForMessage(
    (message) => message.to.includes(customer.email) && message.text.includes(order.id),
    30_000,
  );
  expect(email.subject).toMatch(/is confirmed/);
  const listed = await waitUntil(
    async () => {
      const response = await shop.call('GET', '/api/notifications', customer.token);
      const page = notificationPageSchema.parse(await response.json());
      return page.items.some(
        (n) => n.kind === 'ORDER_CONFIRMED' && n.orderId === order.id && n.status === 'SENT',
      );
    },
    { timeoutMs: 30_000 },
  );
  expect(listed).toBe(true);
});

test.each([
  ['tok_chargeDeclined', 'PAYMENT_DECLINED'],
  ['tok_insufficientFunds', 'INSUFFICIENT_FUNDS'],
  ['tok_processingError', 'PAYMENT_UNAVAILABLE'],
])(
  'when the payment token is %s, then the order ends CANCELLED(%s) and inventory is back where it was',
  async (token, reason) => {
    const product = await shop.createProduct(admin, 4);
    const customer = await bed.newCustomer();
    await shop.addToCart(customer, product.id, 3);

    const placed = await shop.placeOrder(customer, token);
    const order = orderSchema.parse(await placed.json());
    const settled = await shop.settled(customer, order.id);

    expect(settled).toMatchObject({ status: 'CANCELLED', failureReason: reason });
    expect(await shop.stock(product.id)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
  },
);

test('when a customer orders more than is in stock, then the order ends CANCELLED(OUT_OF_STOCK) and nothing is reserved', async () => {
  const product = await shop.createProduct(admin, 2);
  const customer = await bed.newCustomer();
  await shop.addToCart(customer, product.id, 3);

  const order = orderSchema.parse(await (await shop.placeOrder(customer, 'tok_visa')).json());
  const settled = await shop.settled(customer, order.id);

  expect(settled).toMatchObject({ status: 'CANCELLED', failureReason: 'OUT_OF_STOCK' });
  expect(await shop.stock(product.id)).toMatchObject({ onHand: 2, reserved: 0 });
});

test('when many customers race for the last units, then exactly as many are sold as existed and every other order is CANCELLED(OUT_OF_STOCK)', async () => {
  const units = 4;
  // Below the order service's floor of 10 in flight, so admission lets every racer in.
  const racers = 9;
  const product = await shop.createProduct(admin, units);
  const customers = await Promise.all(Array.from({ length: racers }, () => bed.newCustomer()));
  await Promise.all(customers.map((customer) => shop.addToCart(customer, product.id, 1)));

  const orders = await Promise.all(
    customers.map(async (customer) => {
      const order = orderSchema.parse(await (await shop.placeOrder(customer, 'tok_visa')).json());
      return shop.settled(customer, order.id);
    }),
  );

  const confirmed = orders.filter((order) => order.status === 'CONFIRMED');
  const cancelled = orders.filter((order) => order.status === 'CANCELLED');
  expect(confirmed).toHaveLength(units);
  expect(cancelled).toHaveLength(racers - units);
  expect(cancelled.every((order) => order.failureReason === 'OUT_OF_STOCK')).toBe(true);
  expect(await shop.stock(product.id)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
});

test('when 20 identical requests with one Idempotency-Key arrive at once, then one order exists and the others replay it', async () => {
  const product = await shop.createProduct(admin, 10);
  const customer = await bed.newCustomer();
  await shop.addToCart(customer, product.id, 1);
  const key = randomUUID();

  const responses = await Promise.all(
    Array.from({ length: 20 }, () => shop.placeOrder(customer, 'tok_visa', key)),
  );

  const ids = new Set<string>();
  for (const response of responses) {
    expect(response.status).toBe(202);
    ids.add(orderSchema.parse(await response.json()).id);
  }
  expect(ids.size).toBe(1);
  expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
  const list = await shop.call('GET', '/api/orders', customer.token);
  expect(((await list.json()) as { total: number }).total).toBe(1);
});

test('when the system is up, then /api/system/health shows every upstream up with its breaker closed, each consumer group caught up, and checkout admission with its limit', async () => {
  const caughtUp = await waitUntil(
    async () => {
      const health = systemHealthSchema.parse(
        await (await shop.call('GET', '/api/system/health')).json(),
      );
      return (
        health.upstreams.length === 7 &&
        health.upstreams.every((u) => u.status === 'up' && u.breaker === 'closed') &&
        health.consumerLag !== null &&
        new Set(health.consumerLag.map((lag) => lag.groupId)).size === 6 &&
        health.consumerLag.every((lag) => lag.lag === 0)
      );
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  expect(caughtUp).toBe(true);
  const { checkoutAdmission } = systemHealthSchema.parse(
    await (await shop.call('GET', '/api/system/health')).json(),
  );
  // The order service's defaults: a floor of 10 in flight, nothing refused in these tests.
  expect(checkoutAdmission?.shed).toBe(0);
  expect(checkoutAdmission?.limit).toBeGreaterThanOrEqual(10);
});
