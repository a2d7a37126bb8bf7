import { randomUUID } from 'node:crypto';
import {
  createMessage,
  partitionKeyOf,
  topicOf,
  type Message,
  type OrderItem,
} from '@shop/contracts';
import { createProducer } from '@shop/messaging';
import { testKafka } from './environment';
import { topicNamespace, topicPrefix } from './topic-namespace';

export function orderConfirmed(customerId: string, items: OrderItem[]) {
  const orderId = randomUUID();
  return createMessage(
    'OrderConfirmed',
    {
      orderId,
      customerId,
      items,
      totalCents: items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0),
      currency: 'EUR',
    },
    { source: 'order', correlationId: orderId },
  );
}

/**
 * Plays another service: produces straight to the message's topic, keyed like the real one, in
 * the test file's topic namespace, which the cart under test consumes.
 */
export async function publish(...messages: Message[]): Promise<void> {
  const kafka = testKafka();
  await topicNamespace(kafka, topicPrefix);
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    for (const message of messages) {
      await producer.publish([
        {
          topic: `${topicPrefix}${topicOf(message.type)}`,
          key: partitionKeyOf(message),
          value: JSON.stringify(message),
        },
      ]);
    }
  } finally {
    await producer.disconnect();
  }
}
