import { topics } from '@shop/contracts';
import type { KafkaClient } from '@shop/messaging';
import { startPayment, type PaymentUnderTest } from './support/environment';
import {
  authorizePayment,
  collect,
  OrderServiceStandIn,
  testKafka,
  type Collector,
} from './support/kafka';
import { waitForPaymentEvents } from './support/payment-events';
import { newTopicPrefix, topicPrefix } from './support/topic-namespace';

jest.setTimeout(90_000);

interface Namespace {
  payment: PaymentUnderTest;
  order: OrderServiceStandIn;
  events: Collector;
}

let kafka: KafkaClient;
let ours: Namespace;
let theirs: Namespace;

async function startIn(prefix: string): Promise<Namespace> {
  const order = new OrderServiceStandIn(kafka, prefix);
  const [payment, events] = await Promise.all([
    startPayment({}, { topicPrefix: prefix }),
    collect(kafka, [topics.paymentEvents], prefix),
    order.connect(),
  ]);
  return { payment, order, events };
}

async function stop(namespace: Namespace | undefined): Promise<void> {
  await namespace?.events.stop();
  await namespace?.order.disconnect();
  await namespace?.payment.close();
}

beforeAll(async () => {
  kafka = testKafka();
  [ours, theirs] = await Promise.all([startIn(topicPrefix), startIn(newTopicPrefix())]);
});

afterAll(async () => {
  await Promise.all([stop(ours), stop(theirs)]);
});

test('when a command is sent in one topic namespace, then only the payment service of that namespace answers it', async () => {
  const command = authorizePayment({ paymentToken: 'tok_visa' });
  // Proves the other service is consuming while ours answers, so its silence means something.
  const theirCommand = authorizePayment({ paymentToken: 'tok_visa' });

  await Promise.all([ours.order.send(command), theirs.order.send(theirCommand)]);

  const [[answer], [theirAnswer]] = await Promise.all([
    waitForPaymentEvents(ours.events, command.payload.orderId),
    waitForPaymentEvents(theirs.events, theirCommand.payload.orderId),
  ]);
  expect(answer?.causationId).toBe(command.id);
  expect(theirAnswer?.causationId).toBe(theirCommand.id);
  expect(theirs.events.withKey(command.payload.orderId)).toEqual([]);
  const { rows } = await theirs.payment.db.query('SELECT 1 FROM payments WHERE order_id = $1', [
    command.payload.orderId,
  ]);
  expect(rows).toEqual([]);
});
