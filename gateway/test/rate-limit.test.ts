import { startGateway, type GatewayUnderTest } from './support/gateway';
import { call, isProblem, type Answer } from './support/http';
import { startIssuer, type Issuer } from './support/issuer';

let issuer: Issuer;
let gateway: GatewayUnderTest;
let nextAddress = 1;

/**
 * Each test speaks from an address of its own (the gateway trusts one proxy hop here, so it
 * counts the X-Forwarded-For address), so the tests' counters never mix.
 */
function freshAddress(): Record<string, string> {
  nextAddress += 1;
  return { 'x-forwarded-for': `198.51.100.${nextAddress}` };
}

async function callTimes(times: number, request: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < times; i += 1) answers.push(await request());
  return answers;
}

beforeAll(async () => {
  issuer = await startIssuer();
  gateway = await startGateway(issuer, {
    TRUST_PROXY: '1',
    RATE_LIMIT_PER_IP: '5',
    RATE_LIMIT_PER_USER: '3',
    RATE_LIMIT_AUTH: '2',
    RATE_LIMIT_WINDOW: '60s',
  });
});

afterAll(async () => {
  await gateway.close();
  await issuer.close();
});

describe('rate limits', () => {
  it('when one address sends one request more than its quota, then 429 problem with Retry-After and RateLimit headers', async () => {
    const address = freshAddress();

    const answers = await callTimes(6, () =>
      call(gateway.url, 'GET', '/api/products', { headers: address }),
    );

    expect(answers.slice(0, 5).map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const refused = answers[5]!;
    expect(isProblem(refused, 429)).toBe(true);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-policy')).toBe('"ip";q=5;w=60');
    expect(refused.headers.get('ratelimit')).toMatch(/^"ip";r=0;t=\d+$/);
    expect(answers[0]!.headers.get('ratelimit')).toMatch(/^"ip";r=4;t=\d+$/);
  });

  it('when a user exceeds the per-user quota, then 429 for that user while another user at the same address goes on', async () => {
    const address = freshAddress();
    const alice = await issuer.tokenFor('customer');
    const bob = await issuer.tokenFor('customer');

    const aliceAnswers = await callTimes(4, () =>
      call(gateway.url, 'GET', '/api/cart', { token: alice, headers: address }),
    );
    const bobAnswer = await call(gateway.url, 'GET', '/api/cart', { token: bob, headers: address });

    expect(aliceAnswers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(aliceAnswers[3]!.headers.get('ratelimit-policy')).toBe('"ip";q=5;w=60, "user";q=3;w=60');
    expect(aliceAnswers[3]!.headers.get('ratelimit')).toMatch(/"user";r=0;t=\d+$/);
    expect(bobAnswer.status).toBe(200);
  });

  it('when one user calls from many addresses, then the per-user quota still applies', async () => {
    const carol = await issuer.tokenFor('customer');

    const answers = await callTimes(4, () =>
      call(gateway.url, 'GET', '/api/notifications', { token: carol, headers: freshAddress() }),
    );

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
  });

  it('when an address keeps trying to log in, then the stricter auth quota applies first and browsing goes on', async () => {
    const address = freshAddress();
    const credentials = { email: 'victim@example.test', password: 'guess-guess' };

    const logins = await callTimes(3, () =>
      call(gateway.url, 'POST', '/api/auth/login', { headers: address, body: credentials }),
    );
    const browse = await call(gateway.url, 'GET', '/api/categories', { headers: address });

    expect(logins.map((answer) => answer.status)).toEqual([200, 200, 429]);
    expect(logins[2]!.headers.get('ratelimit')).toMatch(/"auth";r=0;t=\d+$/);
    expect(browse.status).toBe(200);
  });
});

describe('when Redis is unreachable', () => {
  let blind: GatewayUnderTest;

  beforeAll(async () => {
    blind = await startGateway(issuer, {
      REDIS_URL: 'redis://127.0.0.1:1',
      RATE_LIMIT_PER_IP: '1',
    });
  });

  afterAll(async () => {
    await blind.close();
  });

  it('then requests go through unlimited, readiness fails and the failures are counted', async () => {
    const answers = await callTimes(3, () => call(blind.url, 'GET', '/api/products'));
    const readiness = await call(blind.url, 'GET', '/health/ready');
    const metrics = await call(blind.url, 'GET', '/metrics');

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(readiness.status).toBe(503);
    expect(metrics.text).toMatch(/^gateway_rate_limit_store_errors_total\{[^}]*\} [1-9]\d*$/m);
  });
});
