import { createKafka, type KafkaClient } from '@shop/messaging';
import type { Logger } from '@shop/service-kit';
import type { Config } from '../config';
import { systemConsumerGroups } from './consumer-groups';
import { kafkaLagReader, noKafka, type LagReader } from './consumer-lag';

/** The gateway's Kafka client (for the lag and the dead letters); none without KAFKA_BROKERS. */
export function gatewayKafka(config: Config, logger: Logger): KafkaClient | undefined {
  if (!config.KAFKA_BROKERS) return undefined;
  // Two quick retries (~0.3 s, then ~0.6 s) ride out a broker's passing "not available yet";
  // kafkajs' five would keep a dead broker's read going for seconds after the answer has left.
  return createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.SERVICE_NAME,
    logger,
    retries: 2,
  });
}

/** The lag of every service's consumer group, for the system health. */
export function systemLagReader(
  config: Config,
  logger: Logger,
  kafka: KafkaClient | undefined,
): LagReader {
  if (!kafka) return noKafka;
  return kafkaLagReader({
    kafka,
    groups: systemConsumerGroups(config.KAFKA_CONSUMER_GROUP_SUFFIX),
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    timeoutMs: config.HEALTH_CHECK_TIMEOUT,
    logger,
  });
}
