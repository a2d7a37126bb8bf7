import type { Server } from 'node:http';
import { createJwtVerifier } from '@shop/auth';
import { createKafka } from '@shop/messaging';
import { BreakerRegistry } from '@shop/resilience';
import { createLogger, createMetricsRegistry, startServer, type Logger } from '@shop/service-kit';
import { buildApp } from './app';
import type { Config } from './config';
import { systemConsumerGroups } from './operations/consumer-groups';
import { kafkaLagReader, noKafka, type LagReader } from './operations/consumer-lag';
import { createUpstreamProxies } from './proxy/upstream-proxy';
import { redisRateLimitStore } from './rate-limit/limiter';
import { createRedis, waitForRedis } from './redis';
import { upstreamsFrom } from './upstreams';

export interface ServiceOptions {
  logger?: Logger;
  /** Overrides config.PORT (tests pass 0). */
  port?: number;
}

export interface RunningService {
  url: string;
  port: number;
  /** For the graceful shutdown to drain before `stop()`. */
  server: Server;
  /** Closes the server (unless already drained), then the upstream connections, breakers and Redis. */
  stop(): Promise<void>;
}

const redisStartupWaitMs = 2_000;

export async function startService(
  config: Config,
  options: ServiceOptions = {},
): Promise<RunningService> {
  const logger =
    options.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const redis = createRedis(config.REDIS_URL, config.RATE_LIMIT_REDIS_TIMEOUT, logger);
  if (!(await waitForRedis(redis, redisStartupWaitMs))) {
    logger.warn('starting without Redis: rate limiting fails open until it is reachable');
  }
  const registry = createMetricsRegistry({ service: config.SERVICE_NAME });
  const breakers = new BreakerRegistry();
  breakers.exposeMetrics(registry);
  const upstreams = upstreamsFrom(config);
  const proxies = createUpstreamProxies(upstreams, {
    registry: breakers,
    settings: {
      volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
      errorThresholdPercentage: config.BREAKER_ERROR_PERCENTAGE,
      resetTimeoutMs: config.BREAKER_RESET_TIMEOUT,
    },
  });
  const app = buildApp({
    config,
    logger,
    registry,
    redis,
    rateLimitStore: redisRateLimitStore(redis, config.RATE_LIMIT_PREFIX),
    verifier: createJwtVerifier({
      jwksUrl: config.JWKS_URL,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    }),
    upstreams,
    proxies,
    breakers,
    readConsumerLag: consumerLagReader(config, logger),
  });

  const server = await startServer(app, { port: options.port ?? config.PORT, host: config.HOST });
  logger.info({ url: server.url }, 'gateway listening');
  return {
    url: server.url,
    port: server.port,
    server: server.server,
    async stop() {
      if (server.server.listening) await server.close();
      proxies.close();
      breakers.shutdown();
      redis.disconnect();
    },
  };
}

function consumerLagReader(config: Config, logger: Logger): LagReader {
  if (!config.KAFKA_BROKERS) return noKafka;
  return kafkaLagReader({
    // Two quick retries (~0.3 s, then ~0.6 s) ride out a broker's passing "not available yet";
    // kafkajs' five would keep a dead broker's read going for seconds after the answer has left.
    kafka: createKafka({
      brokers: config.KAFKA_BROKERS,
      clientId: config.SERVICE_NAME,
      logger,
      retries: 2,
    }),
    groups: systemConsumerGroups(config.KAFKA_CONSUMER_GROUP_SUFFIX),
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    timeoutMs: config.HEALTH_CHECK_TIMEOUT,
    logger,
  });
}
