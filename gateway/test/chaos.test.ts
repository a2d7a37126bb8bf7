import { UpstreamStub } from './support/upstream-stub';
import { startGateway, type GatewayUnderTest } from './support/gateway';
import { call, isProblem } from './support/http';
import { startIssuer, type Issuer } from './support/issuer';

/**
 * The console's chaos routes: forwarded to the native runner's chaos control when CHAOS_URL is
 * set, 404 everywhere else, and for admins only either way.
 */
let issuer: Issuer;
let control: UpstreamStub;
let withChaos: GatewayUnderTest;
let withoutChaos: GatewayUnderTest;
let admin: string;

beforeAll(async () => {
  issuer = await startIssuer();
  control = await new UpstreamStub('chaos-control').start();
  [withChaos, withoutChaos] = await Promise.all([
    startGateway(issuer, { CHAOS_URL: control.url }),
    startGateway(issuer),
  ]);
  admin = await issuer.tokenFor('admin');
});

afterAll(async () => {
  await Promise.all([withChaos.close(), withoutChaos.close()]);
  await control.stop();
  await issuer.close();
});

const run = {
  id: '0b5c6d4e-1f2a-4b3c-8d9e-0f1a2b3c4d5e',
  experiment: 'kill-payment',
  state: 'running',
};

test('when chaos is enabled, then the experiments and the current run come from the chaos control', async () => {
  control.handler = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(req.url === '/experiments' ? { items: [{ name: 'kill-payment' }] } : run),
    );
  };

  const experiments = await call(withChaos.url, 'GET', '/api/system/chaos/experiments', {
    token: admin,
  });
  const current = await call(withChaos.url, 'GET', '/api/system/chaos/runs/current', {
    token: admin,
  });

  expect(experiments.status).toBe(200);
  expect(experiments.body).toEqual({ items: [{ name: 'kill-payment' }] });
  expect(current.body).toEqual(run);
});

test('when a run is asked for, then a valid body is forwarded, a bad one is refused first, and the control’s 409 reaches the admin as a problem', async () => {
  const before = control.seen().length;
  const refused = await call(withChaos.url, 'POST', '/api/system/chaos/runs', {
    token: admin,
    body: { experiment: 'Kill Everything; rm -rf /' },
  });
  expect(isProblem(refused, 400)).toBe(true);
  expect(control.seen()).toHaveLength(before);

  control.handler = (_req, res) => {
    res.writeHead(409, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 409, detail: 'kill-order is running' }));
  };
  const busy = await call(withChaos.url, 'POST', '/api/system/chaos/runs', {
    token: admin,
    body: { experiment: 'kill-payment' },
  });
  expect(isProblem(busy, 409)).toBe(true);
  expect((busy.body as { detail: string }).detail).toBe('kill-order is running');
  expect(JSON.parse(control.seen().at(-1)!.body)).toEqual({ experiment: 'kill-payment' });
});

test('when chaos is not enabled, then every chaos route is a 404 saying how to enable it', async () => {
  for (const [method, path] of [
    ['GET', '/api/system/chaos/experiments'],
    ['POST', '/api/system/chaos/runs'],
    ['GET', '/api/system/chaos/runs/current'],
  ] as const) {
    const answer = await call(withoutChaos.url, method, path, {
      token: admin,
      ...(method === 'POST' ? { body: { experiment: 'kill-payment' } } : {}),
    });
    expect(isProblem(answer, 404)).toBe(true);
    expect((answer.body as { detail: string }).detail).toMatch(/SHOP_CHAOS=on npm start/);
  }
});

test('when a customer asks, then 403 and the chaos control hears nothing', async () => {
  const before = control.seen().length;
  const answer = await call(withChaos.url, 'POST', '/api/system/chaos/runs', {
    token: await issuer.tokenFor('customer'),
    body: { experiment: 'kill-payment' },
  });
  expect(isProblem(answer, 403)).toBe(true);
  expect(control.seen()).toHaveLength(before);
});
