import { orderSchema } from '@shop/contracts';
import { waitUntil } from '../../src/processes';
import { startTestbed, type Testbed } from '../../src/testbed';
import { gatewayClient } from './shopper';

/**
 * Payment is down for longer than the saga's deadline: the customer learns CANCELLED(TIMEOUT)
 * without waiting for it, the stock goes back, and when payment returns and works through its
 * backlog, the authorization it grants the dead order is refunded: nobody is charged for nothing.
 */
let bed: Testbed;
let shop: ReturnType<typeof gatewayClient>;
let admin: string;

beforeAll(async () => {
  bed = await startTestbed(
    ['identity', 'catalog', 'inventory', 'payment', 'cart', 'order', 'gateway'],
    {
      order: { STEP_TIMEOUT: '1s', SAGA_TIMEOUT: '6s', SAGA_TICK: '200ms' },
    },
  );
  shop = gatewayClient(bed);
  admin = await bed.adminToken();
}, 240_000);

afterAll(async () => {
  await bed?.stop();
}, 120_000);

interface PaymentView {
  status: string;
  refunds: unknown[];
}

async function paymentsOf(orderId: string): Promise<PaymentView[]> {
  const response = await shop.call('GET', `/api/payments?orderId=${orderId}`, admin);
  return ((await response.json()) as { items: PaymentView[] }).items;
}

test('when payment is down past the saga deadline, then the order is CANCELLED(TIMEOUT), stock released, and a late authorization refunded', async () => {
  const product = await shop.createProduct(admin, 6);
  const customer = await bed.newCustomer();
  await shop.addToCart(customer, product.id, 2);
  await bed.suspend('payment');

  const order = orderSchema.parse(await (await shop.placeOrder(customer, 'tok_visa')).json());
  const settled = await shop.settled(customer, order.id, 60_000);

  expect(settled).toMatchObject({ status: 'CANCELLED', failureReason: 'TIMEOUT' });
  expect(await shop.stock(product.id)).toMatchObject({ onHand: 6, reserved: 0, available: 6 });

  bed.resume('payment');
  await bed.whenBack('payment', 150_000);
  const refunded = await waitUntil(
    async () => {
      const payments = await paymentsOf(order.id);
      return (
        payments.length === 0 ||
        payments.every((p) => p.status !== 'AUTHORIZED' || p.refunds.length === 1)
      );
    },
    { timeoutMs: 60_000 },
  );
  expect(refunded).toBe(true);
  // Payment answered the backlog: the authorization exists (it was re-sent while payment was
  // down) and it is refunded exactly once; the order stays CANCELLED and the stock untouched.
  const payments = await paymentsOf(order.id);
  expect(
    payments.filter((p) => p.status === 'AUTHORIZED').every((p) => p.refunds.length === 1),
  ).toBe(true);
  expect(await shop.order(customer, order.id)).toMatchObject({
    status: 'CANCELLED',
    failureReason: 'TIMEOUT',
  });
  expect(await shop.stock(product.id)).toMatchObject({ onHand: 6, reserved: 0 });
}, 300_000);
