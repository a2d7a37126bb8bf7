import { parseMessage, topics, type TopicMessage } from '@shop/contracts';
import type { Collector, Received } from '@shop/messaging/testing';
import { waitFor } from '@shop/testkit';

export type PaymentEvent = TopicMessage<typeof topics.paymentEvents>;

/** The events published about one order, each checked against its contract. */
export function paymentEventsOf(collector: Collector, orderId: string): PaymentEvent[] {
  return collector.withKey(orderId, topics.paymentEvents).map(({ value }) => {
    const parsed = parseMessage(topics.paymentEvents, JSON.parse(value ?? 'null'));
    if (!parsed.success) throw new Error(`an invalid payment event: ${parsed.error.message}`);
    return parsed.data;
  });
}

/** Waits until at least `count` events about the order have been published. */
export function waitForPaymentEvents(
  collector: Collector,
  orderId: string,
  count = 1,
): Promise<PaymentEvent[]> {
  return waitFor(
    () => {
      const events = paymentEventsOf(collector, orderId);
      return events.length >= count && events;
    },
    { what: `${count} payment event(s) for order ${orderId}` },
  );
}

/** The order's commands that were dead-lettered. */
export function deadLettersOf(collector: Collector, orderId: string): Received[] {
  return collector.withKey(orderId, `${topics.paymentCommands}.dlq`);
}
