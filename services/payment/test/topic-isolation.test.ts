import { topics } from '@shop/contracts';
import { kafkaTestKit, type Collector, type KafkaTestKit } from '@shop/messaging/testing';
import { kafka, logger, startPayment, type PaymentUnderTest } from './support/environment';
import { authorizePayment } from './support/messages';
import { waitForPaymentEvents } from './support/payment-events';

jest.setTimeout(90_000);

interface Namespace {
  payment: PaymentUnderTest;
  /** Plays the order service in this namespace. */
  kafka: KafkaTestKit;
  events: Collector;
}

let ours: Namespace;
let theirs: Namespace;

async function startIn(namespace: KafkaTestKit): Promise<Namespace> {
  const [payment, events] = await Promise.all([
    startPayment({}, { namespace }),
    namespace.collect(topics.paymentEvents),
  ]);
  return { payment, kafka: namespace, events };
}

async function stop(namespace: Namespace | undefined): Promise<void> {
  await namespace?.events.stop();
  await namespace?.payment.close();
}

beforeAll(async () => {
  [ours, theirs] = await Promise.all([
    startIn(kafka),
    startIn(kafkaTestKit({ clientId: 'payment-test', logger })),
  ]);
});

afterAll(async () => {
  await Promise.all([stop(ours), stop(theirs)]);
});

test('when a command is sent in one topic namespace, then only the payment service of that namespace answers it', async () => {
  const command = authorizePayment({ paymentToken: 'tok_visa' });
  // Proves the other service is consuming while ours answers, so its silence means something.
  const theirCommand = authorizePayment({ paymentToken: 'tok_visa' });

  await Promise.all([ours.kafka.publish(command), theirs.kafka.publish(theirCommand)]);

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
