import { randomBytes } from 'node:crypto';
import {
  notificationPageSchema,
  orderSchema,
  systemHealthSchema,
  type NotificationPage,
} from '@shop/contracts';
import {
  defaultChaosOptions,
  formatReport,
  runExperiment,
  unthrottledGateway,
} from '../../src/chaos';
import { startComposeSystem, type ComposeSystem } from '../../src/compose';
import { composeTarget, killContainer } from '../../src/compose-chaos';
import { waitUntil } from '../../src/processes';
import { freePort } from '../../src/testbed';
import { gatewayClient } from '../e2e/shopper';
import { mailpitClient } from '../../src/mailpit';

/**
 * The Docker path, for real: every image built from the repository, the whole system started by
 * `docker compose up --wait`, and a customer's checkout driven through the containerized gateway
 * only, down to the email Mailpit caught. Run by `npm test` after the native suite
 * (`shop test:containers` alone); it installs and starts a Docker engine when there is none.
 */
jest.setTimeout(300_000);

let system: ComposeSystem;
let shop: ReturnType<typeof gatewayClient>;
let downed = false;

beforeAll(async () => {
  system = await startComposeSystem({
    project: `shop-test-${randomBytes(3).toString('hex')}`,
    gatewayPort: await freePort(),
    mailPort: await freePort(),
    tag: 'test',
    // Every shopper of the chaos experiment comes from one loopback address: the limits would
    // measure themselves, not the fault (as natively, infra/src/chaos/chaos-bed.ts).
    environment: {
      gateway: unthrottledGateway,
    },
    log: (line) => console.log(line),
  });
  shop = gatewayClient({ url: () => system.gatewayUrl });
}, 45 * 60_000);

afterAll(async () => {
  if (system && !downed) await system.down();
}, 120_000);

test('when the system is up, then the gateway reports every service ready and Kafka answering', async () => {
  const answer = await shop.call('GET', '/api/system/health');
  const health = systemHealthSchema.parse(await answer.json());

  expect(answer.status).toBe(200);
  expect(health.status).toBe('up');
  expect(health.upstreams.map(({ name, status }) => [name, status]).sort()).toEqual(
    ['cart', 'catalog', 'identity', 'inventory', 'notification', 'order', 'payment'].map((name) => [
      name,
      'up',
    ]),
  );
  // Kafka answered the gateway's lag query: every consumer group is there.
  expect(health.consumerLag).not.toBeNull();
});

test('when a browser asks the containerized gateway for / and /ops, then it gets the storefront and the console with their scripts', async () => {
  for (const [page, script] of [
    ['/', '/assets/storefront.js'],
    ['/ops', '/assets/ops.js'],
  ] as const) {
    const html = await shop.call('GET', page);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain(`src="${script}"`);
    const bundle = await shop.call('GET', script);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
  }
});

test('when a customer checks out through the containerized gateway, then the order is CONFIRMED, stock committed and the email caught', async () => {
  const admin = await composeTarget(system).adminToken();
  const product = await shop.createProduct(admin, 5, 2_500);
  const customer = await shop.register('compose');
  await shop.addToCart(customer, product.id, 2);

  const placed = await shop.placeOrder(customer, 'tok_visa');
  expect(placed.status).toBe(202);
  const order = orderSchema.parse(await placed.json());
  const settled = await shop.settled(customer, order.id);

  expect(settled.status).toBe('CONFIRMED');
  expect(await shop.stock(product.id)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
  const mail = mailpitClient(system.mailUrl);
  const email = await mail.waitForMessage(
    (message) => message.to.includes(customer.email) && message.text.includes(order.id),
    60_000,
  );
  expect(email.subject).toMatch(/is confirmed/);
  const listed = await waitUntil(
    async () => {
      const answer = await shop.call('GET', '/api/notifications', customer.token);
      const page: NotificationPage = notificationPageSchema.parse(await answer.json());
      return page.items.some((item) => item.orderId === order.id && item.status === 'SENT');
    },
    { timeoutMs: 30_000 },
  );
  expect(listed).toBe(true);
});

test('when the order container is killed mid-checkout, then no order is lost, no unit oversold, nobody charged twice and every confirmation is emailed', async () => {
  const report = await runExperiment(
    composeTarget(system),
    killContainer('order', 'the saga orchestrator'),
    {
      ...defaultChaosOptions,
      // Docker restarts the container at once: there is no fault window to hold.
      faultMs: 0,
      shoppers: 6,
      warmupMs: 3_000,
      cooldownMs: 3_000,
      settleBoundMs: 150_000,
      recoveryBoundMs: 150_000,
      echo: (line) => console.log(line),
    },
  );

  const broken = report.verdicts.filter((verdict) => !verdict.holds);
  if (broken.length > 0) console.log(formatReport(report));
  expect(report.outcome.ordersAcknowledged).toBeGreaterThan(0);
  expect(broken).toEqual([]);
}, 600_000);

test('when the system is taken down with its volumes, then no container, network or volume of it is left', async () => {
  await system.down();
  downed = true;

  expect(await system.leftovers()).toEqual([]);
});
