import { createKafka, type KafkaClient } from '@shop/messaging';
import { logger } from './environment';
import { topicNamespace, topicPrefix } from './topic-namespace';
import { uniqueName } from '@shop/testkit';

export { uniqueName };

export function kafkaBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: is the infrastructure up?');
  return brokers.split(',');
}

export function testKafka(): KafkaClient {
  return createKafka({ brokers: kafkaBrokers(), clientId: uniqueName('identity-test'), logger });
}

export interface Received {
  key: string | null;
  value: string | null;
}

/**
 * Reads the test file's copy of a contract topic from the beginning with a group of its own;
 * callers still filter by their own ids, as each test in the file registers its own users.
 */
export async function collect(
  topic: string,
): Promise<{ messages: Received[]; stop(): Promise<void> }> {
  const kafka = testKafka();
  await topicNamespace(kafka, topicPrefix);
  const consumer = kafka.consumer({
    groupId: uniqueName('identity-test-collector'),
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const messages: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [`${topicPrefix}${topic}`], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      messages.push({
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
      });
      return Promise.resolve();
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}
