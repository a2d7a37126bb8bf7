import { randomUUID } from 'node:crypto';
import { systemHealthSchema } from '@shop/contracts';
import { startGateway, type GatewayUnderTest } from './support/gateway';
import { call, isProblem } from './support/http';
import { startIssuer, type Issuer } from './support/issuer';

let issuer: Issuer;
let gateway: GatewayUnderTest;

const holdMs = 1_500;

beforeAll(async () => {
  issuer = await startIssuer();
  gateway = await startGateway(issuer, { CHECKOUT_SHED_HOLD: `${holdMs}ms` });
});

afterAll(async () => {
  await gateway.close();
  await issuer.close();
});

/** The order service's admission control while full: 503, Retry-After, nothing written. */
function orderServiceFull(retryAfterSeconds: number): void {
  gateway.stubs.order.handler = (req, res) => {
    if (req.method === 'POST') {
      res
        .writeHead(503, {
          'content-type': 'application/problem+json',
          'retry-after': String(retryAfterSeconds),
        })
        .end('{"status":503,"title":"Service Unavailable","detail":"checkout is full"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
  };
}

function orderServiceAdmitting(): void {
  gateway.stubs.order.handler = (_req, res) =>
    res.writeHead(202, { 'content-type': 'application/json' }).end(`{"id":"${randomUUID()}"}`);
}

const checkouts = () =>
  gateway.stubs.order.seen().filter((seen) => seen.method === 'POST' && seen.url === '/api/orders');

async function placeOrder(token: string) {
  return call(gateway.url, 'POST', '/api/orders', {
    token,
    headers: { 'idempotency-key': randomUUID() },
    body: { paymentToken: 'tok_visa' },
  });
}

async function shedAtGateway(): Promise<number> {
  const health = systemHealthSchema.parse(
    (await call(gateway.url, 'GET', '/api/system/health')).body,
  );
  return health.checkoutGate.shed;
}

describe('checkout shed at the gateway while the order service reports full', () => {
  it('when the order service refuses a checkout as full, then the next ones are refused by the gateway with its Retry-After, and reach it again after the hold', async () => {
    orderServiceFull(4);
    const token = await issuer.tokenFor('customer');
    const shedBefore = await shedAtGateway();
    const reachedBefore = checkouts().length;

    const fromOrderService = await placeOrder(token);
    const fromGateway = await Promise.all([placeOrder(token), placeOrder(token)]);

    expect(isProblem(fromOrderService, 503)).toBe(true);
    for (const answer of fromGateway) {
      expect(isProblem(answer, 503)).toBe(true);
      expect(answer.headers.get('retry-after')).toBe('4');
      expect((answer.body as { detail: string }).detail).toMatch(/same Idempotency-Key/);
    }
    expect(checkouts().length - reachedBefore).toBe(1);
    expect((await shedAtGateway()) - shedBefore).toBe(2);

    await new Promise((resolve) => setTimeout(resolve, holdMs + 100));
    orderServiceAdmitting();
    const afterHold = await placeOrder(token);

    expect(afterHold.status).toBe(202);
    expect(checkouts().length - reachedBefore).toBe(2);
  });

  it('when checkout is shed, then reading orders, the cart and the catalog still reach their services', async () => {
    orderServiceFull(2);
    const token = await issuer.tokenFor('customer');
    await placeOrder(token);

    const orders = await call(gateway.url, 'GET', '/api/orders', { token });
    const cart = await call(gateway.url, 'GET', '/api/cart', { token });
    const products = await call(gateway.url, 'GET', '/api/products');
    const shed = await placeOrder(token);

    expect([orders.status, cart.status, products.status]).toEqual([200, 200, 200]);
    expect(isProblem(shed, 503)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, holdMs + 100));
  });

  it('when the order service answers a checkout with anything but a 503 with Retry-After, then the gateway sheds nothing', async () => {
    gateway.stubs.order.handler = (_req, res) =>
      res
        .writeHead(422, { 'content-type': 'application/problem+json' })
        .end('{"status":422,"detail":"the cart is empty"}');
    const token = await issuer.tokenFor('customer');
    const reachedBefore = checkouts().length;

    const answers = [await placeOrder(token), await placeOrder(token), await placeOrder(token)];

    expect(answers.map((answer) => answer.status)).toEqual([422, 422, 422]);
    expect(checkouts().length - reachedBefore).toBe(3);
  });

  it('when checkout is shed, then a shopper whose token the gateway verified lately is refused before the rate limiter counts the request', async () => {
    orderServiceFull(3);
    const token = await issuer.tokenFor('customer');
    const counted = await call(gateway.url, 'GET', '/api/orders', { token });
    await placeOrder(token);

    const shed = await placeOrder(token);

    expect(counted.headers.get('ratelimit')).toMatch(/"user";r=\d+/);
    expect(isProblem(shed, 503)).toBe(true);
    expect(shed.headers.get('retry-after')).toBe('3');
    expect(shed.headers.get('ratelimit')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, holdMs + 100));
  });

  it('when a request is refused for its own sake (no token, or a forged one), then it gets 401, not 503, while checkout is shed', async () => {
    orderServiceFull(2);
    await placeOrder(await issuer.tokenFor('customer'));

    const anonymous = await call(gateway.url, 'POST', '/api/orders', {
      headers: { 'idempotency-key': randomUUID() },
      body: {},
    });

    const forged = await call(gateway.url, 'POST', '/api/orders', {
      token: 'e30.e30.forged',
      headers: { 'idempotency-key': randomUUID() },
      body: {},
    });

    expect(isProblem(anonymous, 401)).toBe(true);
    expect(isProblem(forged, 401)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, holdMs + 100));
  });
});
