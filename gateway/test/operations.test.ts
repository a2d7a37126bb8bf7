import { createServer } from 'node:net';
import { publicRoutes, systemHealthSchema, toOpenApiPath, topics } from '@shop/contracts';
import { kafkaTestKit } from '@shop/messaging/testing';
import { createLogger } from '@shop/service-kit';
import { startGateway, type GatewayUnderTest } from './support/gateway';
import { call } from './support/http';
import { startIssuer, type Issuer } from './support/issuer';
import { waitFor } from '@shop/testkit';

let issuer: Issuer;
let gateway: GatewayUnderTest;

beforeAll(async () => {
  issuer = await startIssuer();
  gateway = await startGateway(issuer, {
    CORS_ORIGINS: 'https://shop.example,https://admin.example',
  });
});

afterAll(async () => {
  await gateway.close();
  await issuer.close();
});

describe('the API description', () => {
  it('when /api/openapi.json is fetched, then it is the contracts document with the public URL and every route', async () => {
    const answer = await call(gateway.url, 'GET', '/api/openapi.json');

    const document = answer.body as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, object>;
    };
    expect(answer.status).toBe(200);
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: 'https://shop.example' }]);
    for (const route of publicRoutes) {
      expect(document.paths[toOpenApiPath(route.path)]).toHaveProperty(route.method.toLowerCase());
    }
  });

  it('when /api/docs is opened, then an HTML page loads Swagger UI from the gateway itself', async () => {
    const page = await call(gateway.url, 'GET', '/api/docs');
    const bundle = await fetch(`${gateway.url}/api/docs/swagger-ui-bundle.js`);
    const init = await call(gateway.url, 'GET', '/api/docs/init.js');

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('/api/docs/swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\//);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect(init.text).toContain("url: '/api/openapi.json'");
  });
});

describe('health', () => {
  it('when the gateway runs with Redis, then it is live and ready', async () => {
    expect((await call(gateway.url, 'GET', '/health/live')).status).toBe(200);
    expect((await call(gateway.url, 'GET', '/health/ready')).status).toBe(200);
  });

  it('when an upstream is down, then system health says degraded and names no address', async () => {
    await gateway.stubs.payment.stop();

    const answer = await call(gateway.url, 'GET', '/api/system/health');

    const health = systemHealthSchema.parse(answer.body);
    expect(health.status).toBe('degraded');
    const payment = health.upstreams.find((upstream) => upstream.name === 'payment');
    expect(payment).toMatchObject({
      status: 'down',
      breaker: 'closed',
      detail: 'connection refused',
    });
    expect(answer.text).not.toContain('127.0.0.1');
  });

  it('when the gateway is given no Kafka brokers, then system health has no consumer lag', async () => {
    const answer = await call(gateway.url, 'GET', '/api/system/health');

    expect(systemHealthSchema.parse(answer.body).consumerLag).toBeNull();
  });
});

describe('consumer lag', () => {
  const kafka = kafkaTestKit({
    clientId: 'gateway-test',
    logger: createLogger({ service: 'gateway-test', level: 'silent' }),
  });
  let withKafka: GatewayUnderTest;

  beforeAll(async () => {
    await kafka.ready();
    // Generous: the first admin connection of a busy test machine must not be the thing measured.
    withKafka = await startGateway(issuer, {
      KAFKA_BROKERS: kafka.brokers,
      KAFKA_TOPIC_PREFIX: kafka.prefix,
      HEALTH_CHECK_TIMEOUT: '10s',
    });
  }, 60_000);

  afterAll(async () => {
    await withKafka?.close();
    await kafka.drop();
  });

  it("when commands wait on a fresh topic that no payment service has read yet, then system health counts them as the payment group's lag, and every other group's as 0", async () => {
    // One key, so one partition: kafkajs retries a batch a fresh topic half accepted as a whole,
    // which could write another partition's share twice.
    await kafka.publish(
      ...[1, 2, 3].map(() => ({ topic: topics.paymentCommands, key: 'order-1', value: '{}' })),
    );

    // `null` is the contract's answer while Kafka cannot be asked, e.g. a group coordinator still
    // loading on a busy broker (seen in CI); the lag is what is checked here, once it is read.
    const lags = await waitFor(
      async () => {
        const answer = await call(withKafka.url, 'GET', '/api/system/health');
        return systemHealthSchema.parse(answer.body).consumerLag ?? undefined;
      },
      { what: 'the consumer lag read from Kafka', intervalMs: 500, timeoutMs: 20_000 },
    );
    expect([...new Set(lags.map((lag) => lag.groupId))].sort()).toEqual([
      'cart',
      'catalog',
      'inventory',
      'notification',
      'order',
      'payment',
    ]);
    expect(lags.filter((lag) => lag.lag > 0)).toEqual([
      { groupId: 'payment', topic: topics.paymentCommands, lag: 3 },
    ]);
  });

  it('when Kafka cannot be reached, then system health still answers, with consumer lag null', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const unreachable = await startGateway(issuer, { KAFKA_BROKERS: `127.0.0.1:${closedPort}` });

    try {
      const answer = await call(unreachable.url, 'GET', '/api/system/health');

      expect(answer.status).toBe(200);
      expect(systemHealthSchema.parse(answer.body).consumerLag).toBeNull();
    } finally {
      await unreachable.close();
    }
  });
});

describe('CORS', () => {
  it('when a listed origin sends a preflight, then it is allowed without a token', async () => {
    const answer = await call(gateway.url, 'OPTIONS', '/api/cart', {
      headers: {
        origin: 'https://admin.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://admin.example');
    expect(answer.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('when another origin calls, then no CORS header is given', async () => {
    const answer = await call(gateway.url, 'GET', '/api/products', {
      headers: { origin: 'https://evil.example' },
    });

    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('when a listed origin calls, then it may read the request id and rate-limit headers', async () => {
    const answer = await call(gateway.url, 'GET', '/api/products', {
      headers: { origin: 'https://shop.example' },
    });

    expect(answer.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(answer.headers.get('access-control-expose-headers')).toContain('RateLimit');
  });
});
