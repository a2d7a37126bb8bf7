import http from 'node:http';
import { waitFor } from '@shop/testkit';
import { AppError } from '../src';
import { closeTestApps, startTestApp, type TestApp } from './support/test-app';

async function startLoggedApp(): Promise<TestApp> {
  return startTestApp((app) => {
    app.get('/products/:id', (_req, res) => {
      res.json({ id: 'p-1' });
    });
    app.get('/broken', () => {
      throw new AppError('UPSTREAM_UNAVAILABLE', 'the catalog did not answer');
    });
    app.get('/slow', (_req, res) => {
      const answer = setTimeout(() => res.json({ late: true }), 2_000);
      res.on('close', () => clearTimeout(answer));
    });
  });
}

const accessLines = (service: TestApp) =>
  service.lines.filter(
    (line) => line.msg === 'request completed' || line.msg === 'request aborted',
  );

describe('access log', () => {
  let service: TestApp;
  beforeEach(async () => {
    service = await startLoggedApp();
  });
  afterEach(closeTestApps);

  it('when a request is answered, then one info line gives its method, URL, status and time', async () => {
    await (await fetch(`${service.url}/products/p-1?fields=name`)).json();

    const line = await waitFor(() => accessLines(service)[0], { what: 'the access log line' });
    expect(line).toMatchObject({
      level: 'info',
      msg: 'request completed',
      req: { method: 'GET', url: '/products/p-1?fields=name', remoteAddress: '127.0.0.1' },
      res: { statusCode: 200 },
    });
    expect(line.responseTime).toEqual(expect.any(Number));
    expect(accessLines(service)).toHaveLength(1);
  });

  it.each([
    ['/missing', 404, 'warn'],
    ['/broken', 503, 'error'],
  ])('when %s is answered %i, then its line is at %s', async (url, status, level) => {
    expect((await fetch(`${service.url}${url}`)).status).toBe(status);

    const line = await waitFor(() => accessLines(service)[0], { what: 'the access log line' });
    expect(line).toMatchObject({ level, res: { statusCode: status } });
  });

  it('when probes and scrapes arrive, then they are not logged', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics']) {
      await (await fetch(`${service.url}${path}`)).text();
    }
    await (await fetch(`${service.url}/products/p-1`)).json();

    await waitFor(() => accessLines(service)[0], { what: 'the access log line' });
    expect(accessLines(service).map((line) => (line.req as { url: string }).url)).toEqual([
      '/products/p-1',
    ]);
  });

  it('when the client goes away before the answer, then the request is logged as aborted, with its id', async () => {
    const request = http.get(`${service.url}/slow`, { headers: { 'x-request-id': 'left-early' } });
    request.on('error', () => {});
    setTimeout(() => request.destroy(), 200);

    const line = await waitFor(() => accessLines(service)[0], { what: 'the access log line' });
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'request aborted',
      req: { url: '/slow' },
      requestId: 'left-early',
    });
  });
});
