import { waitFor } from '@shop/testkit';
import { z } from 'zod';
import { AppError, parseBody, parseParams, parseQuery, problemContentType } from '../src';
import { closeTestApps, startTestApp, type TestApp } from './support/test-app';

const newProduct = z.strictObject({
  sku: z.string().min(1),
  priceCents: z.number().int().positive(),
});

async function startShop(): Promise<TestApp> {
  return startTestApp((app) => {
    app.post('/products', (req, res) => {
      res.status(201).json(parseBody(newProduct, req));
    });
    app.get('/products/:id', (req, res) => {
      const { id } = parseParams(z.object({ id: z.uuid() }), req);
      const { page } = parseQuery(z.object({ page: z.coerce.number().int().min(1) }), req);
      res.json({ id, page });
    });
    app.get('/products/:id/gone', () => {
      throw new AppError('NOT_FOUND', 'No such product');
    });
    app.get('/busy', () => {
      throw new AppError('UPSTREAM_UNAVAILABLE', 'The catalog is unavailable', {
        retryAfterMs: 4_200,
      });
    });
    app.get('/full', () => {
      throw new AppError('OVERLOADED', 'checkout is full', { retryAfterMs: 2_000 });
    });
    app.get('/boom', async () => {
      await Promise.resolve();
      throw new Error('relation "products" does not exist: SELECT * FROM products');
    });
  });
}

function postJson(shop: TestApp, path: string, body: string, contentType = 'application/json') {
  return fetch(`${shop.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
}

describe('problem+json error responses', () => {
  let shop: TestApp;
  beforeEach(async () => {
    shop = await startShop();
  });
  afterEach(closeTestApps);

  it('when the body fails validation, then 400 names each bad field, including unknown ones', async () => {
    const response = await postJson(
      shop,
      '/products',
      JSON.stringify({ priceCents: -5, role: 'admin' }),
    );

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe(`${problemContentType}; charset=utf-8`);
    const { errors, ...problem } = (await response.json()) as {
      errors: { path: string; message: string }[];
    };
    expect(problem).toEqual({
      type: 'https://shop.example/problems/validation',
      title: 'Bad Request',
      status: 400,
      detail: 'The request body is invalid',
      instance: '/products',
      requestId: response.headers.get('x-request-id'),
    });
    expect(errors.map((error) => error.path).sort()).toEqual(['priceCents', 'role', 'sku']);
    expect(errors.find((error) => error.path === 'role')?.message).toBe('is not a known field');
  });

  it('when path parameters or the query are invalid, then 400 names them', async () => {
    const response = await fetch(`${shop.url}/products/not-a-uuid?page=0`);

    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((error) => error.path)).toEqual(['id']);
  });

  it('when the body is valid, then the route answers normally', async () => {
    const response = await postJson(
      shop,
      '/products',
      JSON.stringify({ sku: 'A-1', priceCents: 100 }),
    );

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ sku: 'A-1', priceCents: 100 });
  });

  it('when the JSON is malformed, then 400', async () => {
    const response = await postJson(shop, '/products', '{"sku": "A-1",');

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      status: 400,
      detail: 'The request body is not valid JSON',
    });
  });

  it('when the route is unknown, then 404', async () => {
    const response = await fetch(`${shop.url}/nowhere?x=1`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({
      status: 404,
      title: 'Not Found',
      instance: '/nowhere',
    });
  });

  it('when a route throws an AppError, then its status and detail are sent', async () => {
    const response = await fetch(`${shop.url}/products/${crypto.randomUUID()}/gone`);

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ detail: 'No such product' });
  });

  it('when the AppError says when to retry, then Retry-After is set', async () => {
    const response = await fetch(`${shop.url}/busy`);

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ status: 503, retryAfterMs: 4_200 });
  });

  it('when a service refuses as full, then only its access line is logged; an outage also gets a warning with its cause', async () => {
    const full = await fetch(`${shop.url}/full`);
    const busy = await fetch(`${shop.url}/busy`);

    expect([full.status, busy.status]).toEqual([503, 503]);
    expect(full.headers.get('retry-after')).toBe('2');
    const accessLines = await waitFor(
      () => {
        const found = shop.lines.filter((line) => line.msg === 'request completed');
        return found.length === 2 ? found : undefined;
      },
      { what: 'both access lines' },
    );
    expect(accessLines.map((line) => (line.req as { url: string }).url)).toEqual([
      '/full',
      '/busy',
    ]);
    const warnings = shop.lines.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.msg)).toEqual(['The catalog is unavailable']);
  });

  it('when the body is over 64 KiB, then 413', async () => {
    const response = await postJson(
      shop,
      '/products',
      JSON.stringify({ sku: 'x'.repeat(65 * 1024) }),
    );

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: 413, title: 'Payload Too Large' });
  });

  it('when a body is sent as something other than JSON, then 415', async () => {
    const response = await postJson(
      shop,
      '/products',
      'sku=A-1',
      'application/x-www-form-urlencoded',
    );

    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ status: 415, title: 'Unsupported Media Type' });
  });

  it('when a POST has no body at all, then no content type is required', async () => {
    const response = await fetch(`${shop.url}/products`, { method: 'POST' });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ detail: 'The request body is invalid' });
  });

  it('when something unexpected fails, then 500 says nothing of it but the log has it all', async () => {
    const response = await fetch(`${shop.url}/boom`);

    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/relation|SELECT|products|at .*\.ts|Error:/);
    const requestId = response.headers.get('x-request-id');
    expect(JSON.parse(text)).toMatchObject({
      status: 500,
      title: 'Internal Server Error',
      requestId,
    });
    const logged = shop.lines.find(
      (line) => line.msg === 'unexpected error while handling the request',
    );
    expect(logged).toMatchObject({
      level: 'error',
      requestId,
      err: { message: expect.stringContaining('SELECT * FROM products') as unknown },
    });
    expect((logged!.err as { stack: string }).stack).toContain('problem.test.ts');
  });
});
