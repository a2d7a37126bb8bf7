import { randomUUID } from 'node:crypto';
import { createMessage, partitionKeyOf, topicOf, type MessageOf } from '@shop/contracts';
import {
  createKafka,
  createProducer,
  type KafkaClient,
  type MessageProducer,
} from '@shop/messaging';
import type { Logger } from '@shop/service-kit';
import { topicNamespace, topicPrefix } from './topic-namespace';
import { uniqueName } from '@shop/testkit';

export { uniqueName };

export function kafkaBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: is the infrastructure up?');
  return brokers.split(',');
}

type Published =
  MessageOf<'UserRegistered'> | MessageOf<'OrderConfirmed'> | MessageOf<'OrderCancelled'>;

/** Plays identity and order: publishes their events straight to their topics, keyed like theirs. */
export interface Upstream {
  publish(...messages: Published[]): Promise<void>;
  close(): Promise<void>;
}

export function testKafka(logger: Logger): KafkaClient {
  return createKafka({
    brokers: kafkaBrokers(),
    clientId: uniqueName('notification-test'),
    logger,
  });
}

/** Publishes into the test file's topic namespace, which the service under test consumes. */
export async function connectUpstream(kafka: KafkaClient): Promise<Upstream> {
  await topicNamespace(kafka, topicPrefix);
  const producer: MessageProducer = createProducer(kafka);
  await producer.connect();
  return {
    publish: (...messages) =>
      producer.publish(
        messages.map((message) => ({
          topic: `${topicPrefix}${topicOf(message.type)}`,
          key: partitionKeyOf(message),
          value: JSON.stringify(message),
        })),
      ),
    close: () => producer.disconnect(),
  };
}

export function userRegistered(user: { userId: string; email: string; name: string }) {
  return createMessage('UserRegistered', user, { source: 'identity', correlationId: user.userId });
}

const item = {
  productId: '5b0f3a52-6c0e-4b1f-9a3e-2f4d7c9e8a10',
  sku: 'MUG-001',
  name: 'Enamel mug',
  unitPriceCents: 1250,
  quantity: 2,
};

export function orderConfirmed(customerId: string, orderId: string = randomUUID()) {
  return createMessage(
    'OrderConfirmed',
    { orderId, customerId, items: [item], totalCents: 2500, currency: 'USD' },
    { source: 'order', correlationId: orderId },
  );
}

export function orderCancelled(
  customerId: string,
  reason: MessageOf<'OrderCancelled'>['payload']['reason'],
  orderId: string = randomUUID(),
) {
  return createMessage(
    'OrderCancelled',
    { orderId, customerId, reason, totalCents: 2500, currency: 'USD' },
    { source: 'order', correlationId: orderId },
  );
}
