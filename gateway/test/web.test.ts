import { randomUUID } from 'node:crypto';
import { openEventStream } from '@shop/testkit';
import { startGateway, type GatewayUnderTest } from './support/gateway';
import { call, isProblem } from './support/http';
import { startIssuer, type Issuer } from './support/issuer';

/**
 * The storefront and the console are static pages the gateway serves beside the API; the order
 * page's event stream passes through the order upstream's breaker without its timeout.
 */
let issuer: Issuer;
let gateway: GatewayUnderTest;

beforeAll(async () => {
  issuer = await startIssuer();
  // An order timeout far shorter than the stream below lasts.
  gateway = await startGateway(issuer, { ORDER_TIMEOUT: '300ms' });
});

afterAll(async () => {
  await gateway.close();
  await issuer.close();
});

describe('the web pages', () => {
  it.each([
    ['/', 'storefront'],
    [`/products/${randomUUID()}`, 'storefront'],
    [`/orders/${randomUUID()}`, 'storefront'],
    ['/ops', 'ops'],
    ['/ops/sagas', 'ops'],
  ])(
    'when %s is asked for, then the %s page is served under a CSP that allows only its own scripts',
    async (path, page) => {
      const answer = await call(gateway.url, 'GET', path);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      expect(answer.text).toContain(`<script type="module" src="/assets/${page}.js"></script>`);
      const csp = answer.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    },
  );

  it('when a page asks for its script, then the bundle is served as JavaScript, revalidated on every load', async () => {
    const answer = await call(gateway.url, 'GET', '/assets/storefront.js');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/javascript/);
    expect(answer.headers.get('cache-control')).toBe('no-cache');
  });

  it('when a path is neither a page nor an API route, then it is still a 404 problem', async () => {
    for (const path of ['/nothing-here', '/assets/missing.js', '/products']) {
      const answer = await call(gateway.url, 'GET', path);
      expect(isProblem(answer, 404)).toBe(true);
    }
  });
});

describe('an event stream through the gateway', () => {
  it('when the order service streams longer than its timeout, then every event arrives and the breaker stays closed', async () => {
    const orderId = randomUUID();
    gateway.stubs.order.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        sent += 1;
        res.write(`event: order\ndata: {"n":${sent}}\n\n`);
        if (sent === 5) {
          clearInterval(timer);
          res.end('event: end\ndata: {}\n\n');
        }
      }, 200);
    };

    const stream = await openEventStream(`${gateway.url}/api/orders/${orderId}/events`, {
      authorization: `Bearer ${await issuer.tokenFor('customer')}`,
    });
    await stream.ended;

    expect(stream.status).toBe(200);
    expect(stream.events.map((event) => event.event)).toEqual([
      'order',
      'order',
      'order',
      'order',
      'order',
      'end',
    ]);
    const health = await call(gateway.url, 'GET', '/api/system/health');
    const order = (
      health.body as { upstreams: Array<{ name: string; breaker: string }> }
    ).upstreams.find((upstream) => upstream.name === 'order');
    expect(order?.breaker).toBe('closed');
  });

  it('when the client leaves a stream, then the gateway lets go of the upstream too', async () => {
    let upstreamClosed = false;
    gateway.stubs.order.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: order\ndata: {}\n\n');
      res.on('close', () => (upstreamClosed = true));
    };
    const stream = await openEventStream(`${gateway.url}/api/orders/${randomUUID()}/events`, {
      authorization: `Bearer ${await issuer.tokenFor('customer')}`,
    });
    await stream.next((event) => event.event === 'order');
    stream.close();
    const deadline = Date.now() + 5_000;
    while (!upstreamClosed && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(upstreamClosed).toBe(true);
  });
});
