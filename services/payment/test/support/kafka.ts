import { randomUUID } from 'node:crypto';
import {
  createMessage,
  partitionKeyOf,
  topics,
  type MessageOf,
  type PayloadOf,
} from '@shop/contracts';
import {
  createKafka,
  createProducer,
  type KafkaClient,
  type MessageProducer,
} from '@shop/messaging';
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
  return createKafka({ brokers: kafkaBrokers(), clientId: uniqueName('payment-test'), logger });
}

type PaymentCommand = MessageOf<'AuthorizePayment'> | MessageOf<'RefundPayment'>;

export function authorizePayment(
  input: Partial<PayloadOf<'AuthorizePayment'>> & { paymentToken: string },
): MessageOf<'AuthorizePayment'> {
  const payload = {
    orderId: randomUUID(),
    customerId: randomUUID(),
    amountCents: 4_990,
    currency: 'EUR',
    ...input,
  };
  return createMessage('AuthorizePayment', payload, {
    source: 'order',
    correlationId: payload.orderId,
  });
}

export function refundPayment(
  input: Partial<PayloadOf<'RefundPayment'>> & { orderId: string },
): MessageOf<'RefundPayment'> {
  const payload = {
    amountCents: 4_990,
    currency: 'EUR',
    reason: 'CUSTOMER_CANCELLED' as const,
    ...input,
  };
  return createMessage('RefundPayment', payload, {
    source: 'order',
    correlationId: payload.orderId,
  });
}

/** Plays the order service: publishes commands straight to payment's topic, keyed by order. */
export class OrderServiceStandIn {
  private readonly producer: MessageProducer;
  private readonly commandTopic: string;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly prefix = topicPrefix,
  ) {
    this.producer = createProducer(kafka);
    this.commandTopic = `${prefix}${topics.paymentCommands}`;
  }

  async connect(): Promise<void> {
    await topicNamespace(this.kafka, this.prefix);
    await this.producer.connect();
  }

  send(...commands: PaymentCommand[]): Promise<void> {
    return this.producer.publish(
      commands.map((command) => ({
        topic: this.commandTopic,
        key: partitionKeyOf(command),
        value: JSON.stringify(command),
      })),
    );
  }

  /** Anything at all, e.g. a malformed command. */
  sendRaw(key: string, value: string): Promise<void> {
    return this.producer.publish([{ topic: this.commandTopic, key, value }]);
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

export interface Received {
  /** The contract topic, without the namespace's prefix. */
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  /** The parsed JSON value; undefined when it is not JSON. */
  value: unknown;
}

export interface Collector {
  /** What has arrived so far with this key (the order id), in arrival order. */
  withKey(key: string, topic?: string): Received[];
  stop(): Promise<void>;
}

/**
 * Reads the namespace's copy of contract topics from the beginning with a group of its own;
 * callers still filter by their own ids, as each test in the file sends its own orders.
 */
export async function collect(
  kafka: KafkaClient,
  topicNames: string[],
  prefix = topicPrefix,
): Promise<Collector> {
  await topicNamespace(kafka, prefix);
  const consumer = kafka.consumer({
    groupId: uniqueName('payment-test-collector'),
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const byKey = new Map<string, Received[]>();
  await consumer.connect();
  await consumer.subscribe({
    topics: topicNames.map((topic) => `${prefix}${topic}`),
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: ({ topic: prefixed, message }) => {
      const topic = prefixed.slice(prefix.length);
      const key = message.key?.toString() ?? null;
      if (key === null) return Promise.resolve();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        if (value !== undefined) headers[name] = value.toString();
      }
      byKey.set(key, [
        ...(byKey.get(key) ?? []),
        { topic, key, headers, value: parse(message.value) },
      ]);
      return Promise.resolve();
    },
  });
  return {
    withKey: (key, topic) => (byKey.get(key) ?? []).filter((m) => !topic || m.topic === topic),
    stop: () => consumer.disconnect(),
  };
}

function parse(value: Buffer | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
