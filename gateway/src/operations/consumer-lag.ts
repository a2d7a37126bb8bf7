import type { ConsumerLag } from '@shop/contracts';
import { consumerLag, type GroupTopics, type KafkaClient } from '@shop/messaging';
import type { Logger } from '@shop/service-kit';

/** The lag of every group on each of its topics, or `null` when Kafka could not be asked. */
export type LagReader = () => Promise<ConsumerLag[] | null>;

export const noKafka: LagReader = () => Promise.resolve(null);

export interface LagReaderOptions {
  kafka: KafkaClient;
  groups: GroupTopics[];
  topicPrefix: string;
  timeoutMs: number;
  logger: Logger;
}

/**
 * Reads the lag within `timeoutMs`, so a slow or unreachable Kafka costs the health answer no
 * more than an upstream probe does. Requests that arrive while a read is under way share it: a
 * broker that accepts connections but does not answer holds a kafkajs request for its full
 * request timeout (30 s), well past ours, and one such read at a time is enough.
 */
export function kafkaLagReader(options: LagReaderOptions): LagReader {
  const { kafka, groups, topicPrefix, timeoutMs, logger } = options;
  let current: Promise<ConsumerLag[]> | undefined;
  return async () => {
    current ??= consumerLag(kafka, groups, { topicPrefix }).finally(() => {
      current = undefined;
    });
    try {
      return await within(current, timeoutMs);
    } catch (error) {
      logger.warn({ err: error }, 'consumer lag unavailable; reported as null');
      return null;
    }
  };
}

async function within<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Kafka gave no consumer offsets within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
