import type { Express } from 'express';
import { createMetricsRegistry } from '../src';
import { closeTestApps, startTestApp } from './support/test-app';

/** The value of the one sample of `name` whose labels include `labels`, in Prometheus text format. */
function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find(
      (candidate) =>
        candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('/metrics', () => {
  afterEach(closeTestApps);

  it('when requests were answered, then the HTTP counters carry the route pattern, not the URL', async () => {
    const app = await startTestApp((express) => {
      express.get('/products/:id', (req, res) => {
        res.json({ id: req.params.id });
      });
    });
    await (await fetch(`${app.url}/products/1`)).text();
    await (await fetch(`${app.url}/products/2`)).text();
    await (await fetch(`${app.url}/no/such/route`)).text();

    const response = await fetch(`${app.url}/metrics`);

    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const productRoute = {
      method: 'GET',
      route: '/products/:id',
      status: '200',
      service: 'test-service',
    };
    expect(sampleValue(text, 'http_requests_total', productRoute)).toBe(2);
    expect(sampleValue(text, 'http_request_duration_seconds_count', productRoute)).toBe(2);
    expect(
      sampleValue(text, 'http_requests_total', {
        route: 'unmatched',
        status: '404',
        service: 'test-service',
      }),
    ).toBe(1);
    expect(text).not.toContain('/products/1');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('when two apps live in one process, then each counts only its own requests', async () => {
    const routes = (express: Express) => {
      express.get('/ping', (_req, res) => {
        res.send('pong');
      });
    };
    const first = await startTestApp(routes, {
      registry: createMetricsRegistry({ service: 'first' }),
    });
    const second = await startTestApp(routes, {
      registry: createMetricsRegistry({ service: 'second' }),
    });
    await (await fetch(`${first.url}/ping`)).text();

    const secondMetrics = await (await fetch(`${second.url}/metrics`)).text();

    expect(secondMetrics).not.toContain('route="/ping"');
  });
});
