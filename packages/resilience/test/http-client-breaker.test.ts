import { AppError } from '@shop/service-kit';
import { z } from 'zod';
import { BreakerRegistry, createHttpClient } from '../src';
import type { HttpClientOptions } from '../src';
import { json, neverAnswer, startUpstream } from './upstream';
import type { Upstream } from './upstream';
import { waitFor } from '@shop/testkit';

let upstream: Upstream;
let registry: BreakerRegistry;

beforeEach(() => {
  registry = new BreakerRegistry();
});

afterEach(async () => {
  registry.shutdown();
  await upstream.close();
});

function clientFor(options: Partial<HttpClientOptions> = {}) {
  return createHttpClient({
    name: 'catalog',
    baseUrl: upstream.url,
    timeoutMs: 1_000,
    registry,
    ...options,
    breaker: { volumeThreshold: 4, resetTimeoutMs: 200, ...options.breaker },
  });
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => new Error('expected the call to fail'),
    (reason: unknown) => reason,
  );
  if (!(error instanceof AppError)) throw error;
  return error;
}

async function failTimes(client: ReturnType<typeof clientFor>, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await failure(client.get('/products'));
}

describe('http client behind a circuit breaker', () => {
  test('when the upstream answers 2xx, then the parsed body is returned and validated', async () => {
    upstream = await startUpstream(json(200, { id: 'p1', priceCents: 1299 }));
    const client = clientFor();
    const schema = z.object({ id: z.string(), priceCents: z.number().int() });

    const product = await client.get('/products/p1', { schema });

    expect(product).toEqual({ id: 'p1', priceCents: 1299 });
  });

  test('when the upstream answers a body that breaks the schema, then UPSTREAM_UNAVAILABLE', async () => {
    upstream = await startUpstream(json(200, { id: 42 }));
    const client = clientFor();

    const error = await failure(
      client.get('/products/p1', { schema: z.object({ id: z.string() }) }),
    );

    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  test('when a post is sent, then the upstream receives the JSON body', async () => {
    let received = '';
    upstream = await startUpstream((req, res) => {
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (received += chunk));
      req.on('end', () => json(201, { ok: true })(req, res));
    });
    const client = clientFor();

    await client.post('/items', { body: { sku: 'A-1' } });

    expect(JSON.parse(received)).toEqual({ sku: 'A-1' });
  });

  test('when failures stay below the minimum volume, then the breaker stays closed', async () => {
    upstream = await startUpstream(json(500));
    const client = clientFor({ breaker: { volumeThreshold: 5 } });

    await failTimes(client, 4);

    expect(client.breaker.state()).toBe('closed');
    expect(upstream.hits()).toBe(4);
  });

  test('when the upstream answers 5xx, then the caller gets UPSTREAM_UNAVAILABLE', async () => {
    upstream = await startUpstream(json(503));
    const client = clientFor();

    const error = await failure(client.get('/products'));

    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.status).toBe(503);
  });

  test('when failures pass the threshold, then the breaker opens and fails fast without calling the upstream', async () => {
    upstream = await startUpstream(json(500));
    const timeoutMs = 1_000;
    const client = clientFor({ timeoutMs, breaker: { volumeThreshold: 4, resetTimeoutMs: 5_000 } });
    await failTimes(client, 4);
    const hitsWhenOpened = upstream.hits();

    const started = performance.now();
    const error = await failure(client.get('/products'));
    const elapsed = performance.now() - started;

    expect(client.breaker.state()).toBe('open');
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(5_000);
    expect(elapsed).toBeLessThan(timeoutMs / 5);
    expect(upstream.hits()).toBe(hitsWhenOpened);
  });

  test.each([
    [400, 'VALIDATION'],
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
    [422, 'UNPROCESSABLE'],
  ])('when the upstream answers %i, then %s and the breaker never opens', async (status, code) => {
    upstream = await startUpstream(json(status, { detail: 'upstream says no' }));
    const client = clientFor();

    const errors = await Promise.all(
      Array.from({ length: 8 }, () => failure(client.get('/products/p1'))),
    );

    expect(errors.map((error) => error.code)).toEqual(Array(8).fill(code));
    expect(errors[0]!.message).toBe('upstream says no');
    expect(client.breaker.state()).toBe('closed');
    expect(upstream.hits()).toBe(8);
  });

  test('when the upstream answers 400 with field errors, then they are passed on', async () => {
    upstream = await startUpstream(
      json(400, { detail: 'invalid', errors: [{ path: 'quantity', message: 'too big' }] }),
    );
    const client = clientFor();

    const error = await failure(client.post('/items', { body: { quantity: 1000 } }));

    expect(error.errors).toEqual([{ path: 'quantity', message: 'too big' }]);
  });

  test('when the reset timeout has passed and the probe succeeds, then the breaker closes', async () => {
    upstream = await startUpstream(json(500));
    const client = clientFor({ breaker: { volumeThreshold: 4, resetTimeoutMs: 200 } });
    await failTimes(client, 4);
    expect(client.breaker.state()).toBe('open');
    upstream.respondWith(json(200, { ok: true }));

    await waitFor(() => client.breaker.state() === 'half-open', { intervalMs: 10 });
    const answer = await client.get('/health');

    expect(answer).toEqual({ ok: true });
    expect(client.breaker.state()).toBe('closed');
  });

  test('when the half-open probe fails, then the breaker opens again', async () => {
    upstream = await startUpstream(json(500));
    const client = clientFor({ breaker: { volumeThreshold: 4, resetTimeoutMs: 200 } });
    await failTimes(client, 4);

    await waitFor(() => client.breaker.state() === 'half-open', { intervalMs: 10 });
    await failure(client.get('/health'));

    expect(client.breaker.state()).toBe('open');
  });

  test('when the upstream does not answer in time, then UPSTREAM_TIMEOUT and the request is aborted', async () => {
    upstream = await startUpstream(neverAnswer);
    const client = clientFor({ timeoutMs: 100 });

    const error = await failure(client.get('/slow'));

    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    await waitFor(() => upstream.aborted() === 1, { intervalMs: 10 });
  });

  test('when the upstream cannot be reached, then UPSTREAM_UNAVAILABLE', async () => {
    upstream = await startUpstream(json(200));
    const client = clientFor();
    await upstream.close();

    const error = await failure(client.get('/products'));

    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  test('when the caller cancels, then the request is aborted and it does not count as a failure', async () => {
    upstream = await startUpstream(neverAnswer);
    const client = clientFor({ breaker: { volumeThreshold: 1 } });
    const caller = new AbortController();

    const call = client.get('/slow', { signal: caller.signal });
    await waitFor(() => upstream.hits() === 1, { intervalMs: 10 });
    caller.abort();
    await call.catch(() => undefined);

    await waitFor(() => upstream.aborted() === 1, { intervalMs: 10 });
    expect(client.breaker.stats().failures).toBe(0);
    expect(client.breaker.state()).toBe('closed');
  });
});
