import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { publicRoutes } from '@shop/contracts';
import { startGateway, type GatewayUnderTest, type StubName } from './support/gateway';
import { call, isProblem } from './support/http';
import { startIssuer, type Issuer } from './support/issuer';

let issuer: Issuer;
let gateway: GatewayUnderTest;
let adminToken: string;

beforeAll(async () => {
  issuer = await startIssuer();
  gateway = await startGateway(issuer);
  adminToken = await issuer.tokenFor('admin');
});

afterAll(async () => {
  await gateway.close();
  await issuer.close();
});

function lastSeenBy(name: StubName) {
  return gateway.stubs[name].seen().at(-1);
}

describe('routing', () => {
  it.each<[string, string, StubName]>([
    ['POST', '/api/auth/login', 'identity'],
    ['GET', '/api/auth/jwks.json', 'identity'],
    ['GET', '/api/products?search=red%20mug&page=2', 'catalog'],
    ['GET', `/api/products/${randomUUID()}`, 'catalog'],
    ['GET', '/api/categories', 'catalog'],
    ['GET', `/api/inventory/${randomUUID()}`, 'inventory'],
    ['GET', '/api/cart', 'cart'],
    ['PUT', `/api/cart/items/${randomUUID()}`, 'cart'],
    ['GET', '/api/orders?page=1&pageSize=5', 'order'],
    ['POST', `/api/orders/${randomUUID()}/cancel`, 'order'],
    ['GET', '/api/notifications', 'notification'],
    ['GET', '/api/payments/anything', 'payment'],
  ])(
    'when %s %s is called, then %s receives the same path and query',
    async (method, path, upstream) => {
      const answer = await call(gateway.url, method, path, { token: adminToken });

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ upstream: 'stub', method, url: path });
      expect(lastSeenBy(upstream)).toMatchObject({ method, url: path });
    },
  );

  it('when a JSON body is posted, then the upstream receives the same JSON', async () => {
    const body = {
      email: 'a@example.test',
      password: 'correct horse',
      nested: { list: [1, 2.5, null] },
    };

    await call(gateway.url, 'POST', '/api/auth/register', { body });

    const seen = lastSeenBy('identity');
    expect(JSON.parse(seen?.body ?? '')).toEqual(body);
    expect(seen?.headers['content-length']).toBe(String(Buffer.byteLength(seen?.body ?? '')));
  });

  it('when a request carries an id and a traceparent, then both reach the upstream and come back', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const requestId = `test-${randomUUID()}`;

    const answer = await call(gateway.url, 'GET', '/api/categories', {
      headers: { 'x-request-id': requestId, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });

    const seen = lastSeenBy('catalog');
    expect(seen?.headers['x-request-id']).toBe(requestId);
    expect(seen?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(answer.headers.get('x-request-id')).toBe(requestId);
    expect(answer.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-`));
  });

  it('when a client claims an identity or an address in headers, then the upstream never sees it', async () => {
    await call(gateway.url, 'GET', '/api/cart', {
      token: adminToken,
      headers: {
        'x-user-id': 'someone-else',
        'x-user-role': 'admin',
        'x-forwarded-user': 'root',
        'x-forwarded-for': '203.0.113.9',
        'x-real-ip': '203.0.113.9',
      },
    });

    const headers = lastSeenBy('cart')?.headers ?? {};
    expect(headers['x-user-id']).toBeUndefined();
    expect(headers['x-user-role']).toBeUndefined();
    expect(headers['x-forwarded-user']).toBeUndefined();
    expect(headers['x-real-ip']).toBeUndefined();
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers.authorization).toBe(`Bearer ${adminToken}`);
  });

  it('when every documented route is called, then each one reaches a service or the gateway answers it', async () => {
    const notRouted: string[] = [];
    for (const route of publicRoutes) {
      const path = route.path.replace(/:[A-Za-z]+/g, randomUUID());
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
      const before = Object.values(gateway.stubs).reduce(
        (sum, stub) => sum + stub.seen().length,
        0,
      );

      const answer = await call(gateway.url, route.method, path, { token: adminToken, body });

      const after = Object.values(gateway.stubs).reduce((sum, stub) => sum + stub.seen().length, 0);
      // The gateway's own routes (health, metrics, dead letters, chaos) are answered by it: here
      // the dead letters answer 400 for a made-up topic or 503 with no Kafka to ask, and chaos 404
      // "not enabled" — but never "no route".
      const servedByGateway = !path.startsWith('/api/') || path.startsWith('/api/system/');
      const noRoute = /^No route/.test(
        String((answer.body as { detail?: unknown } | undefined)?.detail),
      );
      const reached = servedByGateway ? !noRoute : after === before + 1;
      if (!reached) notRouted.push(`${route.method} ${route.path} → ${answer.status}`);
    }

    expect(notRouted).toEqual([]);
  });

  it('when proxied requests are counted, then the metrics name their route pattern, never an id', async () => {
    const id = randomUUID();
    await call(gateway.url, 'GET', `/api/products/${id}`);

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();

    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/api\/products\/:id"/);
    expect(metrics).not.toContain(id);
  });

  it('when a path belongs to no service, then the gateway answers 404 problem', async () => {
    const answer = await call(gateway.url, 'GET', '/api/productsx');

    expect(isProblem(answer, 404)).toBe(true);
    expect(answer.body).toMatchObject({ instance: '/api/productsx' });
  });
});

describe('bodies the gateway refuses itself', () => {
  it('when a body is over 64 KiB, then 413 problem and the upstream sees nothing', async () => {
    const before = gateway.stubs.cart.seen().length;

    const answer = await call(gateway.url, 'POST', '/api/cart/items', {
      token: adminToken,
      body: { productId: randomUUID(), padding: 'x'.repeat(65 * 1024) },
    });

    expect(isProblem(answer, 413)).toBe(true);
    expect(gateway.stubs.cart.seen()).toHaveLength(before);
  });

  it('when the JSON is malformed, then 400 problem and the upstream sees nothing', async () => {
    const before = gateway.stubs.cart.seen().length;

    const answer = await call(gateway.url, 'POST', '/api/cart/items', {
      token: adminToken,
      body: '{"productId": ',
      headers: { 'content-type': 'application/json' },
    });

    expect(isProblem(answer, 400)).toBe(true);
    expect(gateway.stubs.cart.seen()).toHaveLength(before);
  });

  it('when the body is not JSON, then 415 problem', async () => {
    const answer = await call(gateway.url, 'POST', '/api/auth/login', {
      body: 'email=a@example.test',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    expect(isProblem(answer, 415)).toBe(true);
  });
});

describe('a documented path asked with a method it does not serve', () => {
  it.each([
    ['DELETE', '/api/auth/login', 'POST'],
    ['PUT', '/api/products', 'GET, HEAD, POST'],
    ['PATCH', `/api/orders/${randomUUID()}`, 'GET, HEAD'],
    ['POST', `/api/cart/items/${randomUUID()}`, 'DELETE, PUT'],
    ['POST', '/API/Categories/', 'GET, HEAD'],
  ])(
    'when %s %s is asked, then 405 names what it serves (Allow: %s) and no upstream is called',
    async (method, path, allow) => {
      const before = Object.values(gateway.stubs).map((stub) => stub.seen().length);

      const answer = await call(gateway.url, method, path, { token: adminToken, body: {} });

      expect(isProblem(answer, 405)).toBe(true);
      expect(answer.headers.get('allow')).toBe(allow);
      expect(Object.values(gateway.stubs).map((stub) => stub.seen().length)).toEqual(before);
    },
  );

  it('when TRACE is asked without a token, then 405 comes before authentication', async () => {
    const answer = await new Promise<{ status: number; allow: string | undefined }>(
      (resolve, reject) => {
        const request = http.request(`${gateway.url}/api/auth/me`, { method: 'TRACE' }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, allow: res.headers.allow });
        });
        request.on('error', reject);
        request.end();
      },
    );

    expect(answer).toEqual({ status: 405, allow: 'GET, HEAD' });
  });

  it('when HEAD is asked of a GET route, then it is served', async () => {
    const answer = await call(gateway.url, 'HEAD', '/api/categories');

    expect(answer.status).toBe(200);
  });
});
