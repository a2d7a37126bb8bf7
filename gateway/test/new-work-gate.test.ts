import type { RequestHandler } from 'express';
import request from 'supertest';
import { systemHealthSchema } from '@shop/contracts';
import { behindDoor, createApp, createLogger, createMetricsRegistry } from '@shop/service-kit';
import { newWorkGate, type NewWorkGate } from '../src/overload/new-work-gate';
import { startGateway, type GatewayUnderTest } from './support/gateway';
import { call, isProblem } from './support/http';
import { startIssuer, type Issuer } from './support/issuer';

const logger = createLogger({ service: 'gateway-test', level: 'silent' });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An app behind a door that is the gate of the moment; `/api` is answered by `answer`. */
function behindGate(gate: () => NewWorkGate, answer: RequestHandler) {
  const app = createApp({
    service: 'gate-test',
    logger,
    routes: (express) => express.use('/api', answer),
  });
  return behindDoor(app, (req, res) => gate().door(req, res));
}

describe('the share of new work refused, from the event-loop delay a window measured', () => {
  const targetDelayMs = 100;
  const windowMs = 5;
  let delayMs = 0;
  let draw = 0;
  let gate: NewWorkGate;
  const app = behindGate(
    () => gate,
    (_req, res) => res.json({ passed: true }),
  );

  beforeEach(() => {
    gate = newWorkGate({
      targetDelayMs,
      targetLatencyMs: 0,
      windowMs,
      registry: createMetricsRegistry({ service: 'gate-test' }),
      meter: { read: () => delayMs, stop: () => undefined },
      random: () => draw,
    });
  });
  afterEach(() => gate.stop());

  async function measured(delay: number): Promise<void> {
    delayMs = delay;
    await pause(windowMs * 4);
  }

  it('when the loop is within its target, then nothing is refused', async () => {
    await measured(targetDelayMs);
    draw = 0;

    const answer = await request(app).get('/api/products');

    expect(answer.status).toBe(200);
    expect(gate.view()).toMatchObject({ delayMs: targetDelayMs, shedShare: 0, shed: 0 });
  });

  it('when the loop is half as late again as its target, then half of new work is refused: a draw below one half is, one above is not', async () => {
    await measured(targetDelayMs * 1.5);

    draw = 0.49;
    const refused = await request(app).post('/api/cart/items').send({});
    draw = 0.51;
    const passed = await request(app).post('/api/cart/items').send({});

    expect(gate.view().shedShare).toBe(0.5);
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({ status: 503, retryAfterMs: 1000 });
    expect(passed.status).toBe(200);
    expect(gate.view().shed).toBe(1);
  });

  it('when the loop is twice as late as its target, then all new work is refused, and orders and the system routes never are', async () => {
    await measured(targetDelayMs * 2);
    draw = 0.999;

    const refused = await Promise.all(
      ['/api/products', '/api/cart', '/api/notifications', '/api/auth/login', '/API/Products'].map(
        (path) => request(app).get(path),
      ),
    );
    const passed = await Promise.all(
      ['/api/orders', '/api/orders/0b5c0d5e-0000-4000-8000-000000000000', '/api/system/health'].map(
        (path) => request(app).get(path),
      ),
    );

    expect(refused.map((answer) => answer.status)).toEqual([503, 503, 503, 503, 503]);
    expect(passed.map((answer) => answer.status)).toEqual([200, 200, 200]);
  });

  it('when the gate is off, then nothing is refused however late the loop is, and the delay is still reported', async () => {
    gate.stop();
    gate = newWorkGate({
      targetDelayMs: 0,
      targetLatencyMs: 0,
      windowMs,
      registry: createMetricsRegistry({ service: 'gate-test' }),
      meter: { read: () => delayMs, stop: () => undefined },
      random: () => 0,
    });
    await measured(5_000);

    const answer = await request(app).get('/api/products');

    expect(answer.status).toBe(200);
    expect(gate.view()).toMatchObject({ delayMs: 5_000, shedShare: 0 });
  });
});

describe('the share of new work refused, from how long the new work let in took', () => {
  const answerAfterMs = 60;
  let gate: NewWorkGate;
  const app = behindGate(
    () => gate,
    (_req, res) => {
      setTimeout(() => res.json({ passed: true }), answerAfterMs);
    },
  );

  beforeEach(() => {
    gate = newWorkGate({
      targetDelayMs: 0,
      targetLatencyMs: 20,
      windowMs: 300,
      registry: createMetricsRegistry({ service: 'gate-test' }),
      meter: { read: () => 0, stop: () => undefined },
      random: () => 0.999,
    });
  });
  afterEach(() => gate.stop());

  it('when a window of new work takes three times the target, then all new work is refused until a window says otherwise, orders never', async () => {
    const deadline = Date.now() + 10_000;
    while (gate.view().shedShare < 1 && Date.now() < deadline) {
      await Promise.all(Array.from({ length: 10 }, () => request(app).get('/api/products')));
    }
    expect(gate.view().latencyMs).toBeGreaterThanOrEqual(answerAfterMs);
    expect(gate.view().shedShare).toBe(1);

    const [refused, passed] = await Promise.all([
      request(app).get('/api/products'),
      request(app).get('/api/orders'),
    ]);

    expect(refused.status).toBe(503);
    expect(passed.status).toBe(200);
  });

  it('when fewer than eight answers came in a window, then their time says nothing and nothing is refused', async () => {
    for (let i = 0; i < 3; i += 1) {
      await Promise.all(Array.from({ length: 3 }, () => request(app).get('/api/products')));
      await pause(350);
    }

    expect(gate.view()).toMatchObject({ latencyMs: 0, shedShare: 0, shed: 0 });
  });

  it('when signing in is slow, then its time is not counted: a password hash is slow on purpose', async () => {
    const deadline = Date.now() + 1_000;
    while (Date.now() < deadline) {
      await Promise.all(Array.from({ length: 10 }, () => request(app).post('/api/auth/login')));
    }

    expect(gate.view()).toMatchObject({ latencyMs: 0, shedShare: 0 });
  });
});

describe("new work shed while the gateway's own event loop is held up", () => {
  let issuer: Issuer;
  let gateway: GatewayUnderTest;

  beforeAll(async () => {
    issuer = await startIssuer();
    gateway = await startGateway(issuer, {
      SHED_NEW_WORK: 'true',
      SHED_EVENT_LOOP_DELAY: '50ms',
      CORS_ORIGINS: 'https://shop.example',
    });
  });
  afterAll(async () => {
    await gateway.close();
    await issuer.close();
  });

  /** Every turn of this process's event loop (the gateway runs in it) takes `ms` of CPU. */
  function holdUpTheLoop(ms: number): () => void {
    const timer = setInterval(() => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    }, 0);
    return () => clearInterval(timer);
  }

  const catalogApiCalls = () =>
    gateway.stubs.catalog.seen().filter((seen) => seen.url.startsWith('/api/')).length;

  async function firstRefusal(token: string, deadlineMs: number) {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const answer = await call(gateway.url, 'GET', '/api/products', { token });
      if (answer.status !== 200 || Date.now() > deadline) return answer;
    }
  }

  it('when every turn of the loop takes 200 ms, then browsing and carts are refused with 503 and Retry-After (readable from a listed origin) before the rate limiter or an upstream sees them, orders and system health still answer, and all is served again once the loop catches up', async () => {
    const token = await issuer.tokenFor('customer');
    const served = await call(gateway.url, 'GET', '/api/products', { token });
    expect(served.status).toBe(200);
    expect(served.headers.get('ratelimit')).not.toBeNull();

    const release = holdUpTheLoop(200);
    const held = await (async () => {
      try {
        const refused = await firstRefusal(token, 10_000);
        const catalogCalls = catalogApiCalls();
        const [cart, orders, health] = await Promise.all([
          call(gateway.url, 'POST', '/api/cart/items', {
            token,
            body: { productId: 'p', quantity: 1 },
            headers: { origin: 'https://shop.example' },
          }),
          call(gateway.url, 'GET', '/api/orders', { token }),
          call(gateway.url, 'GET', '/api/system/health'),
        ]);
        return {
          refused,
          cart,
          orders,
          health,
          catalogReached: catalogApiCalls() > catalogCalls,
        };
      } finally {
        release();
      }
    })();
    const { refused, cart, orders, health } = held;

    expect(held.catalogReached).toBe(false);
    expect(isProblem(refused, 503)).toBe(true);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('ratelimit')).toBeNull();
    expect(isProblem(cart, 503)).toBe(true);
    // A storefront on a listed origin can read the refusal and its Retry-After.
    expect(cart.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(cart.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(orders.status).toBe(200);
    expect(health.status).toBe(200);
    const gate = systemHealthSchema.parse(health.body).newWorkGate;
    expect(gate.targetDelayMs).toBe(50);
    expect(gate.delayMs).toBeGreaterThan(100);
    expect(gate.shedShare).toBe(1);
    expect(gate.shed).toBeGreaterThanOrEqual(2);

    const deadline = Date.now() + 10_000;
    let again = await call(gateway.url, 'GET', '/api/products', { token });
    while (again.status !== 200 && Date.now() < deadline) {
      await pause(250);
      again = await call(gateway.url, 'GET', '/api/products', { token });
    }
    expect(again.status).toBe(200);
  }, 60_000);
});
