import { Kafka, logLevel, Partitioners, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';

/** The Kafka client; opaque outside this package so kafkajs can be replaced. */
export type KafkaClient = Kafka;

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /**
   * How often a failed connection or request is retried, with backoff from 300 ms (kafkajs'
   * default: 5, which keeps trying a dead broker for about ten seconds). A client that must
   * answer within a short budget (a health read) sets fewer.
   */
  retries?: number;
}

export function createKafka(options: KafkaOptions): KafkaClient {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...(options.retries === undefined ? {} : { retry: { retries: options.retries } }),
    logLevel: logLevel.INFO,
    logCreator: () => routeTo(options.logger.child({ component: 'kafkajs' })),
  });
}

const ownFields = new Set(['message', 'timestamp', 'logger']);

function routeTo(logger: Logger) {
  return ({ namespace, level, log }: LogEntry) => {
    // pino stamps its own time and logger name; the message becomes pino's message.
    const fields = Object.entries(log).filter(([name]) => !ownFields.has(name));
    const entry = { namespace, ...Object.fromEntries(fields) };
    const message = log.message;
    if (level === logLevel.ERROR) logger.error(entry, message);
    else if (level === logLevel.WARN) logger.warn(entry, message);
    else if (level === logLevel.INFO) logger.info(entry, message);
    else logger.debug(entry, message);
  };
}

export interface OutgoingMessage {
  topic: string;
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string>;
}

export interface MessageProducer {
  connect(): Promise<void>;
  /** Resolves once every in-sync replica has the messages (acks = -1), rejects otherwise. */
  publish(messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * A producer that favours order and durability over throughput.
 *
 * - acks -1: a send resolves only when all in-sync replicas have the batch, so the relay never
 *   marks a row published that a broker failover could still lose.
 * - `idempotent` stays off: kafkajs marks it experimental
 *   (https://kafka.js.org/docs/producing#options). What it would prevent, a duplicate after a
 *   retried send whose ack was lost, is already harmless: delivery is at-least-once by design and
 *   every consumer de-duplicates through its inbox.
 * - maxInFlightRequests 1: without idempotence, a retried request could otherwise land after a
 *   later one and reorder a key's events.
 * - The Java-compatible murmur2 partitioner (kafkajs' default since v2, named to silence its
 *   warning): the same key lands on the same partition whichever client produced it.
 */
export function createProducer(kafka: KafkaClient): MessageProducer {
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: false,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  return {
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    async publish(messages) {
      if (messages.length === 0) return;
      const byTopic = new Map<string, OutgoingMessage[]>();
      for (const message of messages) {
        byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, batch]) => ({
          topic,
          messages: batch.map(({ key, value, headers }) => ({ key, value, headers })),
        })),
      });
    },
  };
}
