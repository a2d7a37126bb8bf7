import { randomBytes } from 'node:crypto';
import {
  allTopics,
  partitionKeyOf,
  topicOf,
  type Message,
  type MessageOf,
  type MessageType,
} from '@shop/contracts';
import { uniqueName, waitFor } from '@shop/testkit';
import type { KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { createKafka, createProducer, type KafkaClient, type MessageProducer } from './kafka';
import { createTopicNamespace, deleteTopicNamespace } from './topics';

/** Anything at all on a topic of the namespace, e.g. a malformed command. */
export interface RawRecord {
  /** The contract topic; the kit adds the namespace's prefix. */
  topic: string;
  key: string;
  value: string;
}

export interface Received {
  /** The contract topic, without the namespace's prefix. */
  topic: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface Collector {
  /** Everything received so far, in arrival order. */
  readonly messages: Received[];
  withKey(key: string, topic?: string): Received[];
  /**
   * The shop's messages of one type keyed by `key` (the order, product or user they are about),
   * as they were sent: not checked against the contract.
   */
  envelopes<T extends MessageType>(type: T, key: string): Array<MessageOf<T>>;
  /** The kit's `drop()` stops it too; stopping twice is harmless. */
  stop(): Promise<void>;
}

/**
 * Kafka for one component test file: a private copy of every contract topic (the service under
 * test gets `prefix` as its KAFKA_TOPIC_PREFIX), so services started by other test files never
 * answer its commands and a fresh consumer group replays no earlier run. Each test still creates
 * its own orders, products or users, as the file's tests share the namespace.
 */
export interface KafkaTestKit {
  readonly prefix: string;
  /** KAFKA_BROKERS as the infrastructure runner wrote it, for the service's configuration. */
  readonly brokers: string;
  /** The name a contract topic has in this namespace, i.e. on the wire. */
  namespaced(topic: string): string;
  /** Creates the namespace, once however many callers ask at the same time. */
  ready(): Promise<void>;
  /**
   * Plays another service: sends each message to its contract topic, keyed like the real
   * producer, in one batch, so messages with the same key arrive in the order given.
   */
  publish(...messages: Array<Message | RawRecord>): Promise<void>;
  /**
   * Reads topics of the namespace from the beginning with a group of its own, so nothing sent
   * while the group was joining is missed.
   */
  collect(...topics: string[]): Promise<Collector>;
  /** Stops the kit's producer and collectors and deletes the namespace, once the service stopped. */
  drop(): Promise<void>;
}

export interface KafkaTestKitOptions {
  /** Names the kit's clients and groups, e.g. `cart-test`. */
  clientId: string;
  logger: Logger;
}

/** Builds nothing on Kafka yet: the namespace is created by the first call that needs it. */
export function kafkaTestKit({ clientId, logger }: KafkaTestKitOptions): KafkaTestKit {
  const prefix = `t-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.`;
  const namespaced = (topic: string) => `${prefix}${topic}`;
  let client: KafkaClient | undefined;
  const kafka = () =>
    (client ??= createKafka({
      brokers: brokers().split(','),
      clientId: uniqueName(clientId),
      logger,
    }));
  let namespace: Promise<void> | undefined;
  let producer: Promise<MessageProducer> | undefined;
  const collectors = new Set<Collector>();

  const ready = () => {
    if (!namespace) {
      namespace = createNamespace(kafka(), prefix);
      namespace.catch(() => {
        namespace = undefined;
      });
    }
    return namespace;
  };

  const connectedProducer = () => {
    if (!producer) {
      producer = ready().then(async () => {
        const connecting = createProducer(kafka());
        await connecting.connect();
        return connecting;
      });
      producer.catch(() => {
        producer = undefined;
      });
    }
    return producer;
  };

  return {
    prefix,
    get brokers() {
      return brokers();
    },
    namespaced,
    ready,
    async publish(...messages) {
      await (
        await connectedProducer()
      ).publish(
        messages.map((message) =>
          'value' in message
            ? { ...message, topic: namespaced(message.topic) }
            : {
                topic: namespaced(topicOf(message.type)),
                key: partitionKeyOf(message),
                value: JSON.stringify(message),
              },
        ),
      );
    },
    async collect(...topics) {
      await ready();
      const collector = await startCollector(kafka(), clientId, prefix, topics);
      collectors.add(collector);
      return collector;
    },
    async drop() {
      const connected = producer;
      producer = undefined;
      await Promise.all([
        ...[...collectors].map((collector) => collector.stop()),
        connected?.then((open) => open.disconnect()),
      ]);
      collectors.clear();
      namespace = undefined;
      await deleteTopicNamespace(kafka(), prefix);
    },
  };
}

function brokers(): string {
  const value = process.env.KAFKA_BROKERS;
  if (!value) throw new Error('KAFKA_BROKERS is not set: is the infrastructure up?');
  return value;
}

/**
 * Retried until the broker's metadata lists every topic, so no consumer subscribes too early:
 * under load kafkajs may give up on a creation that did happen, and a KRaft broker answers
 * UNKNOWN_TOPIC_OR_PARTITION while its metadata cache lags the controller (tulios/kafkajs#815,
 * KAFKA-15780). Creating again is harmless: topics that exist are left alone.
 */
async function createNamespace(kafka: KafkaClient, prefix: string): Promise<void> {
  await waitFor(
    async () => {
      await createTopicNamespace(kafka, prefix, 2);
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.fetchTopicMetadata({ topics: allTopics().map((topic) => `${prefix}${topic}`) });
        return true;
      } finally {
        await admin.disconnect();
      }
    },
    { timeoutMs: 30_000, intervalMs: 250, what: `the topic namespace ${prefix}` },
  );
}

async function startCollector(
  kafka: KafkaClient,
  clientId: string,
  prefix: string,
  topics: string[],
): Promise<Collector> {
  const consumer = kafka.consumer({
    groupId: uniqueName(`${clientId}-collector`),
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    // stop() waits for the fetch in flight, which an idle broker holds this long (kafkajs: 5 s).
    maxWaitTimeInMs: 250,
  });
  const messages: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({
    topics: topics.map((topic) => `${prefix}${topic}`),
    fromBeginning: true,
  });
  // run() resolves before the group is joined; a collector is only handed out once it has its
  // partitions, so what a test sends next is fetched by a member that is already assigned.
  const joined = new Promise<void>((resolve) => {
    const stopListening = consumer.on(consumer.events.GROUP_JOIN, () => {
      stopListening();
      resolve();
    });
  });
  await consumer.run({
    eachMessage: ({ topic, message }) => {
      messages.push(received(topic.slice(prefix.length), message));
      return Promise.resolve();
    },
  });
  await joined;
  let stopped: Promise<void> | undefined;
  const withKey = (key: string, topic?: string) =>
    messages.filter((message) => message.key === key && (!topic || message.topic === topic));
  return {
    messages,
    withKey,
    envelopes: <T extends MessageType>(type: T, key: string) =>
      withKey(key)
        .map(({ value }) => envelopeIn(value))
        .filter((message): message is MessageOf<T> => message?.type === type),
    stop: () => (stopped ??= consumer.disconnect()),
  };
}

function received(topic: string, message: KafkaMessage): Received {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = value.toString();
  }
  return {
    topic,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers,
  };
}

/** Dead-letter topics also carry what is not JSON at all. */
function envelopeIn(value: string | null): Message | undefined {
  try {
    return JSON.parse(value ?? '') as Message;
  } catch {
    return undefined;
  }
}
