import { topics } from '@shop/contracts';
import type { Collector } from '@shop/messaging/testing';
import { kafka, startPayment, type PaymentUnderTest } from './support/environment';
import { authorizePayment } from './support/messages';
import { waitForPaymentEvents } from './support/payment-events';

jest.setTimeout(90_000);

let payment: PaymentUnderTest;
let collector: Collector;

beforeAll(async () => {
  [payment, collector] = await Promise.all([
    startPayment({ PROCESSOR_FAILURE_RATE: '1', PROCESSOR_RETRIES: '2' }),
    kafka.collect(topics.paymentEvents),
  ]);
});

afterAll(async () => {
  await collector?.stop();
  await payment?.close();
});

it('when the failure rate is 1, then every authorization is retried and ends PAYMENT_UNAVAILABLE', async () => {
  const commands = ['tok_visa', 'tok_mastercard', 'tok_visa'].map((paymentToken) =>
    authorizePayment({ paymentToken }),
  );

  await kafka.publish(...commands);

  for (const command of commands) {
    const [event] = await waitForPaymentEvents(collector, command.payload.orderId);
    expect(event).toMatchObject({
      type: 'PaymentDeclined',
      payload: { orderId: command.payload.orderId, reason: 'PAYMENT_UNAVAILABLE' },
    });
    const { rows } = await payment.db.query<{ attempts: number }>(
      'SELECT attempts FROM payments WHERE order_id = $1',
      [command.payload.orderId],
    );
    expect(rows).toEqual([{ attempts: 3 }]);
  }
});

it('when the failure rate is 1, then declines by token are still answered at once', async () => {
  const command = authorizePayment({ paymentToken: 'tok_chargeDeclined' });

  await kafka.publish(command);

  const [event] = await waitForPaymentEvents(collector, command.payload.orderId);
  expect(event?.payload).toEqual({ orderId: command.payload.orderId, reason: 'PAYMENT_DECLINED' });
});
