import { randomUUID } from 'node:crypto';
import { systemHealthSchema, type SystemHealth } from '@shop/contracts';
import { startGateway, type GatewayUnderTest } from './support/gateway';
import { call, isProblem } from './support/http';
import { startIssuer, type Issuer } from './support/issuer';
import { waitFor } from '@shop/testkit';

let issuer: Issuer;
let gateway: GatewayUnderTest;

const resetTimeoutMs = 2_000;

beforeAll(async () => {
  issuer = await startIssuer();
  gateway = await startGateway(issuer, {
    BREAKER_VOLUME_THRESHOLD: '3',
    BREAKER_ERROR_PERCENTAGE: '50',
    BREAKER_RESET_TIMEOUT: `${resetTimeoutMs}ms`,
    INVENTORY_TIMEOUT: '300ms',
    // Every refusal reaches the stub here; checkout-gate.test.ts covers the gateway's own shedding.
    CHECKOUT_SHED_HOLD: '0',
  });
});

afterAll(async () => {
  await gateway.close();
  await issuer.close();
});

async function systemHealth(): Promise<SystemHealth> {
  const answer = await call(gateway.url, 'GET', '/api/system/health');
  return systemHealthSchema.parse(answer.body);
}

async function breakerOf(name: string): Promise<string | undefined> {
  return (await systemHealth()).upstreams.find((upstream) => upstream.name === name)?.breaker;
}

describe('an upstream that dies and comes back', () => {
  it('when catalog is killed, then 503s open its breaker, open answers come fast without touching it, and it closes once catalog is back', async () => {
    const catalog = gateway.stubs.catalog;
    await catalog.stop();

    const refused = await call(gateway.url, 'GET', '/api/products');
    expect(isProblem(refused, 503)).toBe(true);
    expect(refused.headers.get('retry-after')).toBe('1');

    await waitFor(
      async () =>
        (await call(gateway.url, 'GET', '/api/products')).status === 503 &&
        (await breakerOf('catalog')) === 'open',
      { what: 'the catalog breaker to open' },
    );
    await catalog.start();
    const seenBefore = catalog.seen().length;

    const whileOpen = await call(gateway.url, 'GET', '/api/products');

    expect(isProblem(whileOpen, 503)).toBe(true);
    expect((whileOpen.body as { detail: string }).detail).toMatch(/circuit open/);
    expect((whileOpen.body as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(
      resetTimeoutMs,
    );
    expect(Number(whileOpen.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(catalog.seen()).toHaveLength(seenBefore);

    await waitFor(async () => (await call(gateway.url, 'GET', '/api/products')).status === 200, {
      what: 'catalog to be reachable through its breaker again',
    });
    expect(await breakerOf('catalog')).toBe('closed');
  });

  it('when an upstream answers 5xx, then its answer passes through unchanged', async () => {
    gateway.stubs.notification.handler = (_req, res) => {
      res.writeHead(500, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ status: 500, title: 'Internal Server Error', detail: 'boom' }));
    };

    const answer = await call(gateway.url, 'GET', '/api/notifications', {
      token: await issuer.tokenFor('customer'),
    });

    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ detail: 'boom' });
  });

  it('when an upstream answers 4xx again and again, then its breaker stays closed', async () => {
    gateway.stubs.order.handler = (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"status":404}');
    };
    const token = await issuer.tokenFor('customer');

    for (let i = 0; i < 6; i += 1) {
      expect(
        (await call(gateway.url, 'GET', `/api/orders/${randomUUID()}`, { token })).status,
      ).toBe(404);
    }

    expect(await breakerOf('order')).toBe('closed');
  });

  it('when an upstream sheds load (503 with Retry-After) again and again, then the answer passes through with its Retry-After and the breaker stays closed', async () => {
    gateway.stubs.order.handler = (_req, res) => {
      res
        .writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '3' })
        .end('{"status":503,"type":"https://shop.example/problems/overloaded"}');
    };
    const token = await issuer.tokenFor('customer');

    for (let i = 0; i < 6; i += 1) {
      const answer = await call(gateway.url, 'POST', '/api/orders', {
        token,
        headers: { 'idempotency-key': randomUUID() },
        body: {},
      });
      expect({ status: answer.status, retryAfter: answer.headers.get('retry-after') }).toEqual({
        status: 503,
        retryAfter: '3',
      });
    }

    expect(await breakerOf('order')).toBe('closed');
  });
});

describe('a slow upstream', () => {
  it('when inventory does not answer within its timeout, then 504 problem and the request to it is aborted', async () => {
    const inventory = gateway.stubs.inventory;
    inventory.handler = (_req, res) => {
      const late = setTimeout(() => res.writeHead(200).end('{}'), 5_000);
      res.on('close', () => clearTimeout(late));
    };

    const answer = await call(gateway.url, 'GET', `/api/inventory/${randomUUID()}`);

    expect(isProblem(answer, 504)).toBe(true);
    await waitFor(() => inventory.seen().at(-1)?.aborted, {
      what: 'inventory to see its request aborted',
    });
  });
});

describe('system health', () => {
  it('when asked, then every upstream is listed with its health and breaker state', async () => {
    const health = await systemHealth();

    expect(health.upstreams.map((upstream) => upstream.name).sort()).toEqual([
      'cart',
      'catalog',
      'identity',
      'inventory',
      'notification',
      'order',
      'payment',
    ]);
    expect(health.upstreams.every((upstream) => upstream.status === 'up')).toBe(true);
    expect(health.consumerLag).toBeNull();
  });

  it('when the order service reports its admission control, then the health shows it; when it cannot, then null', async () => {
    const admission = { inFlight: 17, limit: 16, throughputPerSecond: 14.2, shed: 3 };
    gateway.stubs.order.handler = (req, res) => {
      if (req.url === '/admission') res.writeHead(200).end(JSON.stringify(admission));
      else res.writeHead(404).end();
    };

    const reported = await systemHealth();
    gateway.stubs.order.handler = (_req, res) => res.writeHead(404).end();
    const unknown = await systemHealth();

    expect(reported.checkoutAdmission).toEqual(admission);
    expect(unknown.checkoutAdmission).toBeNull();
  });

  it('when breakers exist, then /metrics exposes their state', async () => {
    const metrics = await call(gateway.url, 'GET', '/metrics');

    expect(metrics.text).toMatch(/circuit_breaker_state\{[^}]*breaker="catalog"[^}]*\} 0/);
  });
});
