import { bearerToken } from '@shop/auth';
import { defineService, type HostOptions } from '@shop/service-host';
import { buildApp } from './app';
import type { Config } from './config';
import { corsHeaders } from './cors';
import { kafkaDeadLetterDesk, noDeadLetterDesk } from './operations/dead-letters';
import { gatewayKafka, systemLagReader } from './operations/system-lag';
import { checkoutGate } from './overload/checkout-gate';
import { gatewayDoor } from './overload/door';
import { newWorkGate } from './overload/new-work-gate';
import { createUpstreamProxies } from './proxy/upstream-proxy';
import { redisRateLimitStore } from './rate-limit/limiter';
import { createRedis, waitForRedis } from './redis';
import { upstreamsFrom } from './upstreams';

const redisStartupWaitMs = 2_000;

/** The one door: JWT checks, rate limits, a breaker and timeout per upstream, system health. */
export const startService = defineService<Config, HostOptions>(async (host) => {
  const { config, logger } = host;
  const redis = createRedis(config.REDIS_URL, config.RATE_LIMIT_REDIS_TIMEOUT, logger);
  host.onStop('redis', () => redis.disconnect());
  if (!(await waitForRedis(redis, redisStartupWaitMs))) {
    logger.warn('starting without Redis: rate limiting fails open until it is reachable');
  }
  const upstreams = upstreamsFrom(config);
  const proxies = createUpstreamProxies(upstreams, {
    registry: host.breakers(),
    settings: {
      volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
      errorThresholdPercentage: config.BREAKER_ERROR_PERCENTAGE,
      resetTimeoutMs: config.BREAKER_RESET_TIMEOUT,
    },
  });
  host.onStop('upstream connections', () => proxies.close());
  const kafka = gatewayKafka(config, logger);
  const shedding = newWorkGate({
    targetDelayMs: config.SHED_NEW_WORK ? config.SHED_EVENT_LOOP_DELAY : 0,
    targetLatencyMs: config.SHED_NEW_WORK ? config.SHED_NEW_WORK_LATENCY : 0,
    registry: host.metrics(),
  });
  host.onStop('new-work gate', () => shedding.stop());
  const verifier = host.verifier();
  const checkouts = checkoutGate({
    holdMs: config.CHECKOUT_SHED_HOLD,
    paceRetries: config.CHECKOUT_PACE_RETRIES,
    registry: host.metrics(),
    isKnownShopper: (req) => verifier.recall(bearerToken(req)) !== undefined,
  });
  host.door(
    gatewayDoor({
      newWorkGate: shedding,
      checkoutGate: checkouts,
      ...(config.CORS_ORIGINS ? { corsHeaders: corsHeaders(config.CORS_ORIGINS) } : {}),
    }),
  );
  return buildApp({
    config,
    logger,
    registry: host.metrics(),
    redis,
    rateLimitStore: redisRateLimitStore(redis, config.RATE_LIMIT_PREFIX),
    verifier,
    upstreams,
    proxies,
    breakers: host.breakers(),
    readConsumerLag: systemLagReader(config, logger, kafka),
    deadLetters: kafka ? kafkaDeadLetterDesk(kafka, config.KAFKA_TOPIC_PREFIX) : noDeadLetterDesk,
    checkoutGate: checkouts,
    newWorkGate: shedding,
  });
});

export type { RunningService } from '@shop/service-host';
