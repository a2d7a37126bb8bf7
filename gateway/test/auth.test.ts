import { randomUUID } from 'node:crypto';
import { startGateway, type GatewayUnderTest } from './support/gateway';
import { call, isProblem } from './support/http';
import { forgedAdminToken, startIssuer, tokenFromAnotherKey, type Issuer } from './support/issuer';

let issuer: Issuer;
let gateway: GatewayUnderTest;

beforeAll(async () => {
  issuer = await startIssuer();
  gateway = await startGateway(issuer);
});

afterAll(async () => {
  await gateway.close();
  await issuer.close();
});

describe('a route that needs a user', () => {
  it('when no token is sent, then 401 problem with a Bearer challenge and the service is not called', async () => {
    const before = gateway.stubs.order.seen().length;

    const answer = await call(gateway.url, 'GET', '/api/orders');

    expect(isProblem(answer, 401)).toBe(true);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expect(gateway.stubs.order.seen()).toHaveLength(before);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['expired', () => Promise.resolve(issuer.expiredTokenFor('customer')), /expired/],
    ['forged', async () => forgedAdminToken(await issuer.tokenFor('customer')), /signature/],
    ['signed by another key', () => tokenFromAnotherKey('customer'), /unknown key/],
    ['not a JWT', () => Promise.resolve('not-a-token'), /malformed/],
  ])('when the token is %s, then 401 problem naming why', async (_kind, tokenOf, why) => {
    const answer = await call(gateway.url, 'GET', '/api/cart', { token: await tokenOf() });

    expect(isProblem(answer, 401)).toBe(true);
    expect(answer.headers.get('www-authenticate')).toContain('invalid_token');
    expect((answer.body as { detail: string }).detail).toMatch(why);
  });

  it('when the token is valid, then the service receives the request with the Authorization header', async () => {
    const token = await issuer.tokenFor('customer');

    const answer = await call(gateway.url, 'GET', '/api/cart', { token });

    expect(answer.status).toBe(200);
    expect(gateway.stubs.cart.seen().at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('when a path under a customer-data service is undocumented, then it still needs a user', async () => {
    const answer = await call(gateway.url, 'GET', '/api/orders/export/all');

    expect(isProblem(answer, 401)).toBe(true);
  });
});

describe('a route for admins', () => {
  it('when a customer calls it, then 403 problem and the service is not called', async () => {
    const before = gateway.stubs.catalog.seen().length;

    const answer = await call(gateway.url, 'POST', '/api/products', {
      token: await issuer.tokenFor('customer'),
      body: { sku: 'SKU-1' },
    });

    expect(isProblem(answer, 403)).toBe(true);
    expect(gateway.stubs.catalog.seen()).toHaveLength(before);
  });

  it('when a customer calls an admin path under a service of customer data, then 403 problem and the service is not called', async () => {
    const before = gateway.stubs.order.seen().length;

    const answer = await call(gateway.url, 'GET', '/api/orders/reconciliation/summary', {
      token: await issuer.tokenFor('customer'),
    });

    expect(isProblem(answer, 403)).toBe(true);
    expect(gateway.stubs.order.seen()).toHaveLength(before);
  });

  it('when an admin calls it, then it reaches the service', async () => {
    const answer = await call(gateway.url, 'POST', `/api/inventory/${randomUUID()}/restock`, {
      token: await issuer.tokenFor('admin'),
      body: { quantity: 5 },
    });

    expect(answer.status).toBe(200);
  });

  it('when nobody is signed in, then 401 rather than 403', async () => {
    const answer = await call(gateway.url, 'PATCH', `/api/products/${randomUUID()}`, { body: {} });

    expect(isProblem(answer, 401)).toBe(true);
  });
});

describe('a public route', () => {
  it('when no token is sent, then it reaches the service', async () => {
    const answer = await call(gateway.url, 'GET', '/api/products');

    expect(answer.status).toBe(200);
  });

  it('when an invalid token is sent, then 401 rather than treating the caller as anonymous', async () => {
    const answer = await call(gateway.url, 'GET', '/api/products', {
      token: issuer.expiredTokenFor('customer'),
    });

    expect(isProblem(answer, 401)).toBe(true);
  });
});
