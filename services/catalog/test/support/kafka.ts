import { randomUUID } from 'node:crypto';
import { allTopics, createMessage, partitionKeyOf, topics, type MessageOf } from '@shop/contracts';
import {
  createKafka,
  createProducer,
  createTopicNamespace,
  deleteTopicNamespace,
  type KafkaClient,
} from '@shop/messaging';
import { logger } from './environment';
import { waitFor } from '@shop/testkit';
import { uniqueName } from '@shop/testkit';

export { uniqueName };

/**
 * This test file's private copy of every topic. Jest gives each test file its own module
 * registry, so each file gets its own prefix: catalogs started by other test files never read
 * our levels, and a fresh group does not replay earlier runs.
 */
export const topicPrefix = `${uniqueName('t')}.`;

/** The name a contract topic has in this file's namespace, i.e. on the wire. */
export function namespaced(topic: string): string {
  return `${topicPrefix}${topic}`;
}

let namespace: Promise<void> | undefined;

/** Creates the namespace once, however many helpers of the file ask for it. */
export function ensureTopicNamespace(kafka: KafkaClient): Promise<void> {
  namespace ??= createNamespace(kafka);
  return namespace;
}

/**
 * createTopics' wait for leaders gives up on UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker
 * answers while its metadata cache still lags the controller (tulios/kafkajs#815, KAFKA-15780).
 * Asked again, the topics exist already; then only the metadata has to catch up.
 */
async function createNamespace(kafka: KafkaClient): Promise<void> {
  await waitFor(
    async () => {
      await createTopicNamespace(kafka, topicPrefix, 2);
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.fetchTopicMetadata({ topics: allTopics().map(namespaced) });
        return true;
      } finally {
        await admin.disconnect();
      }
    },
    { timeoutMs: 20_000, intervalMs: 250, what: `topic namespace ${topicPrefix}` },
  );
}

/** Once the service and every test consumer of the namespace have stopped. */
export async function dropTopicNamespace(kafka: KafkaClient): Promise<void> {
  namespace = undefined;
  await deleteTopicNamespace(kafka, topicPrefix);
}

export function kafkaBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: is the infrastructure up?');
  return brokers.split(',');
}

export function testKafka(): KafkaClient {
  return createKafka({ brokers: kafkaBrokers(), clientId: uniqueName('catalog-test'), logger });
}

export interface StockLevelInput {
  productId: string;
  sku: string;
  available: number;
  sequence: number;
  reserved?: number;
  occurredAt?: Date;
  id?: string;
}

export function stockLevelChanged(input: StockLevelInput): MessageOf<'StockLevelChanged'> {
  const reserved = input.reserved ?? 0;
  return createMessage(
    'StockLevelChanged',
    {
      productId: input.productId,
      sku: input.sku,
      onHand: input.available + reserved,
      reserved,
      available: input.available,
      sequence: input.sequence,
    },
    {
      source: 'inventory',
      correlationId: input.productId,
      id: input.id ?? randomUUID(),
      ...(input.occurredAt ? { occurredAt: input.occurredAt } : {}),
    },
  );
}

/** Plays inventory: publishes straight to its topic, keyed by product like the real one. */
export async function publishAsInventory(
  kafka: KafkaClient,
  messages: Array<MessageOf<'StockLevelChanged'> | { key: string; value: string }>,
): Promise<void> {
  await ensureTopicNamespace(kafka);
  const topic = namespaced(topics.inventoryEvents);
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    await producer.publish(
      messages.map((message) =>
        'value' in message
          ? { topic, key: message.key, value: message.value }
          : {
              topic,
              key: partitionKeyOf(message),
              value: JSON.stringify(message),
            },
      ),
    );
  } finally {
    await producer.disconnect();
  }
}

export interface Received {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Reads the namespace's copy of a contract topic from the beginning with a group of its own;
 * callers still filter by their own ids, as each test in the file creates its own products.
 */
export async function collect(
  kafka: KafkaClient,
  topic: string,
): Promise<{ messages: Received[]; stop(): Promise<void> }> {
  await ensureTopicNamespace(kafka);
  const consumer = kafka.consumer({
    groupId: uniqueName('catalog-test-collector'),
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 250,
  });
  const messages: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [namespaced(topic)], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        if (value !== undefined) headers[name] = value.toString();
      }
      messages.push({
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers,
      });
      return Promise.resolve();
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}
