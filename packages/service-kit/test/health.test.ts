import pg from 'pg';
import { postgresCheck, redisCheck, runReadinessChecks } from '../src';
import { closeTestApps, startTestApp, type TestApp } from './support/test-app';
import { TcpProxy } from './support/tcp-proxy';

function adminUrl(): URL {
  const url = process.env.POSTGRES_ADMIN_URL;
  if (!url) throw new Error('POSTGRES_ADMIN_URL is not set: is the infrastructure up?');
  return new URL(url);
}

async function readiness(app: TestApp) {
  const response = await fetch(`${app.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('health endpoints', () => {
  afterEach(closeTestApps);

  it('when the process runs, then /health/live answers 200', async () => {
    const app = await startTestApp(() => {}, {
      readiness: { broken: () => Promise.reject(new Error('down')) },
    });

    const response = await fetch(`${app.url}/health/live`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'up' });
  });

  describe('when Postgres sits behind a proxy that can be cut', () => {
    const target = adminUrl();
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    let pool: pg.Pool;
    let app: TestApp;

    beforeEach(async () => {
      await proxy.open();
      const proxied = new URL(target);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxy.port);
      // Through the proxy's TCP port, not the server's Unix socket the URL may name.
      proxied.searchParams.delete('host');
      pool = new pg.Pool({
        connectionString: proxied.toString(),
        max: 2,
        connectionTimeoutMillis: 1000,
      });
      // A pooled connection cut by the proxy is reported here; the readiness check reports it too.
      pool.on('error', () => {});
      app = await startTestApp(() => {}, { readiness: { postgres: postgresCheck(pool) } });
    });

    afterEach(async () => {
      await proxy.close();
      await pool.end();
    });

    it('then /health/ready goes 503 while it is unreachable and back to 200 when it returns', async () => {
      const healthy = await readiness(app);
      expect(healthy).toEqual({
        status: 200,
        body: {
          status: 'up',
          checks: [{ name: 'postgres', status: 'up', latencyMs: expect.any(Number) as unknown }],
        },
      });

      await proxy.close();
      const unreachable = await readiness(app);
      expect(unreachable.status).toBe(503);
      expect(unreachable.body).toMatchObject({
        status: 'down',
        checks: [{ name: 'postgres', status: 'down' }],
      });
      expect(JSON.stringify(unreachable.body)).not.toContain(target.password);

      await proxy.open();
      const recovered = await readiness(app);
      expect(recovered.status).toBe(200);
    });
  });
});

describe('readiness checks', () => {
  it('when checks are slow, then they run in parallel and each is cut at its timeout', async () => {
    // Each of these two finishes only once both have started: run one after the other, the
    // first would wait for the second forever and time out.
    let started = 0;
    let bothStarted: () => void = () => {};
    const barrier = new Promise<void>((resolve) => (bothStarted = resolve));
    const waitForTheOther = async () => {
      started += 1;
      if (started === 2) bothStarted();
      await barrier;
    };

    const report = await runReadinessChecks(
      { first: waitForTheOther, second: waitForTheOther, stuck: () => new Promise<void>(() => {}) },
      300,
    );

    expect(report).toMatchObject({
      status: 'down',
      checks: [
        { name: 'first', status: 'up' },
        { name: 'second', status: 'up' },
        { name: 'stuck', status: 'down', detail: 'timed out after 300 ms' },
      ],
    });
  });

  it('when a check fails with a connection string in its message, then the password is hidden', async () => {
    const report = await runReadinessChecks({
      db: () => Promise.reject(new Error('cannot reach postgres://shop:s3cret@db:5432/shop')),
    });

    expect(report.checks).toEqual([
      expect.objectContaining({ name: 'db', detail: 'cannot reach postgres://***@db:5432/shop' }),
    ]);
  });

  it('when Redis answers PONG, then it is ready, and anything else is not', async () => {
    const report = await runReadinessChecks({
      up: redisCheck({ ping: () => Promise.resolve('PONG') }),
      odd: redisCheck({ ping: () => Promise.resolve('LOADING') }),
    });

    expect(report.checks.map(({ name, status }) => ({ name, status }))).toEqual([
      { name: 'up', status: 'up' },
      { name: 'odd', status: 'down' },
    ]);
  });
});
