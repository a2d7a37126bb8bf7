import { randomUUID } from 'node:crypto';
import { createLogger } from '@shop/service-kit';
import { readConfig, type Config } from '../../src/config';
import { startService, type RunningService } from '../../src/service';
import type { Issuer } from './issuer';
import { startStubs, type UpstreamStub } from './upstream-stub';

export const upstreamNames = [
  'identity',
  'catalog',
  'cart',
  'order',
  'inventory',
  'payment',
  'notification',
] as const;
export type StubName = (typeof upstreamNames)[number];
export type Stubs = Record<StubName, UpstreamStub>;

const logger = createLogger({
  service: 'gateway-test',
  level: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
});

export interface GatewayUnderTest {
  url: string;
  config: Config;
  stubs: Stubs;
  close(): Promise<void>;
}

/**
 * A gateway on port 0 in front of a stub per service, against the shared Redis with a key prefix
 * of its own (so counts never mix with another test file's). Limits are high unless a test lowers them.
 */
export async function startGateway(
  issuer: Issuer,
  env: Record<string, string> = {},
): Promise<GatewayUnderTest> {
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) throw new Error('REDIS_URL is not set: is the infrastructure up?');
  const stubs = await startStubs(upstreamNames);
  const config = readConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: redisUrl,
    RATE_LIMIT_PREFIX: `gateway-test:${randomUUID()}:`,
    RATE_LIMIT_PER_IP: '100000',
    RATE_LIMIT_PER_USER: '100000',
    RATE_LIMIT_AUTH: '100000',
    JWKS_URL: issuer.jwksUrl,
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    PUBLIC_URL: 'https://shop.example',
    // The test runner shares this event loop; event-loop-gate.test.ts turns the gate on.
    SHED_NEW_WORK: 'false',
    ...Object.fromEntries(
      upstreamNames.map((name) => [`${name.toUpperCase()}_URL`, stubs[name].url]),
    ),
    ...env,
  });
  const service: RunningService = await startService(config, { logger, port: 0 });
  return {
    url: service.url,
    config,
    stubs,
    async close() {
      await service.stop();
      await Promise.all(Object.values<UpstreamStub>(stubs).map((stub) => stub.stop()));
    },
  };
}
