import { randomUUID } from 'node:crypto';
import { paymentsOfOrderSchema, paymentSummarySchema, topics } from '@shop/contracts';
import type { Collector } from '@shop/messaging/testing';
import { kafka, startPayment, type PaymentUnderTest } from './support/environment';
import { authorizePayment, refundPayment } from './support/messages';
import { deadLettersOf, paymentEventsOf, waitForPaymentEvents } from './support/payment-events';
import { waitFor } from '@shop/testkit';

jest.setTimeout(90_000);

let payment: PaymentUnderTest;
let collector: Collector;

beforeAll(async () => {
  [payment, collector] = await Promise.all([
    startPayment(),
    kafka.collect(topics.paymentEvents, `${topics.paymentCommands}.dlq`),
  ]);
});

afterAll(async () => {
  await collector?.stop();
  await payment?.close();
});

async function paymentRows(orderId: string) {
  const { rows } = await payment.db.query<{
    id: string;
    status: string;
    decline_reason: string | null;
    authorization_code: string | null;
    attempts: number;
  }>(
    'SELECT id, status, decline_reason, authorization_code, attempts FROM payments WHERE order_id = $1',
    [orderId],
  );
  return rows;
}

describe('authorizing a payment', () => {
  it.each(['tok_visa', 'tok_mastercard'])(
    'when the token is %s, then PaymentAuthorized answers with the stored payment, after one call',
    async (paymentToken) => {
      const command = authorizePayment({ paymentToken, amountCents: 12_345, currency: 'USD' });

      await kafka.publish(command);

      const [event] = await waitForPaymentEvents(collector, command.payload.orderId);
      const [row] = await paymentRows(command.payload.orderId);
      expect(event).toMatchObject({
        type: 'PaymentAuthorized',
        source: 'payment',
        correlationId: command.payload.orderId,
        causationId: command.id,
        payload: {
          orderId: command.payload.orderId,
          paymentId: row!.id,
          amountCents: 12_345,
          currency: 'USD',
        },
      });
      expect(row).toMatchObject({ status: 'AUTHORIZED', attempts: 1 });
      expect(row!.authorization_code).toMatch(/^[0-9A-F]{6}$/);
    },
  );

  it.each([
    ['tok_chargeDeclined', 'PAYMENT_DECLINED'],
    ['tok_insufficientFunds', 'INSUFFICIENT_FUNDS'],
  ])('when the token is %s, then PaymentDeclined with %s', async (paymentToken, reason) => {
    const command = authorizePayment({ paymentToken });

    await kafka.publish(command);

    const [event] = await waitForPaymentEvents(collector, command.payload.orderId);
    expect(event).toMatchObject({
      type: 'PaymentDeclined',
      causationId: command.id,
      payload: { orderId: command.payload.orderId, reason },
    });
    expect(await paymentRows(command.payload.orderId)).toEqual([
      expect.objectContaining({ status: 'DECLINED', decline_reason: reason, attempts: 1 }),
    ]);
  });

  it('when the processor keeps failing (tok_processingError), then it is retried, then PAYMENT_UNAVAILABLE', async () => {
    const command = authorizePayment({ paymentToken: 'tok_processingError' });

    await kafka.publish(command);

    const [event] = await waitForPaymentEvents(collector, command.payload.orderId);
    expect(event).toMatchObject({
      type: 'PaymentDeclined',
      payload: { orderId: command.payload.orderId, reason: 'PAYMENT_UNAVAILABLE' },
    });
    expect(await paymentRows(command.payload.orderId)).toEqual([
      expect.objectContaining({
        status: 'DECLINED',
        decline_reason: 'PAYMENT_UNAVAILABLE',
        attempts: payment.config.PROCESSOR_RETRIES + 1,
      }),
    ]);
  });

  it('when the failure rate is 0 (the default), then no approved card fails transiently', async () => {
    const commands = Array.from({ length: 5 }, () =>
      authorizePayment({ paymentToken: 'tok_visa' }),
    );

    await kafka.publish(...commands);

    for (const command of commands) {
      const [event] = await waitForPaymentEvents(collector, command.payload.orderId);
      expect(event?.type).toBe('PaymentAuthorized');
      expect(await paymentRows(command.payload.orderId)).toEqual([
        expect.objectContaining({ attempts: 1 }),
      ]);
    }
  });

  it('when the same AuthorizePayment is delivered twice and then re-sent with a new id, then one payment answers all three alike', async () => {
    const first = authorizePayment({ paymentToken: 'tok_visa' });
    const resent = { ...first, id: randomUUID() };

    await kafka.publish(first, first, resent);

    // The redelivery (same id) is skipped by the inbox; the re-send (new id) is answered again.
    const events = await waitForPaymentEvents(collector, first.payload.orderId, 2);
    const rows = await paymentRows(first.payload.orderId);
    expect(rows).toHaveLength(1);
    expect(events.map((event) => [event.type, event.causationId])).toEqual([
      ['PaymentAuthorized', first.id],
      ['PaymentAuthorized', resent.id],
    ]);
    expect(events.map((event) => event.payload)).toEqual([
      expect.objectContaining({ paymentId: rows[0]!.id }),
      expect.objectContaining({ paymentId: rows[0]!.id }),
    ]);
    const { rows: inbox } = await payment.db.query<{ message_id: string }>(
      'SELECT message_id FROM inbox WHERE message_id = ANY($1::uuid[])',
      [[first.id, resent.id]],
    );
    expect(inbox.map((row) => row.message_id).sort()).toEqual([first.id, resent.id].sort());
  });

  it('when a declined authorization is re-sent, then the same PaymentDeclined answers without a second call', async () => {
    const first = authorizePayment({ paymentToken: 'tok_insufficientFunds' });
    const resent = { ...first, id: randomUUID() };

    await kafka.publish(first, resent);

    const events = await waitForPaymentEvents(collector, first.payload.orderId, 2);
    expect(events.map((event) => event.payload)).toEqual([
      { orderId: first.payload.orderId, reason: 'INSUFFICIENT_FUNDS' },
      { orderId: first.payload.orderId, reason: 'INSUFFICIENT_FUNDS' },
    ]);
    expect(await paymentRows(first.payload.orderId)).toEqual([
      expect.objectContaining({ attempts: 1 }),
    ]);
  });
});

describe('refunding a payment', () => {
  it('when an authorized order is refunded, then PaymentRefunded names the payment and a refund is stored', async () => {
    const authorize = authorizePayment({ paymentToken: 'tok_visa', amountCents: 2_500 });
    const { orderId } = authorize.payload;
    const refund = refundPayment({ orderId, amountCents: 2_500 });

    await kafka.publish(authorize, refund);

    const [authorized, refunded] = await waitForPaymentEvents(collector, orderId, 2);
    expect(authorized?.type).toBe('PaymentAuthorized');
    expect(refunded).toMatchObject({
      type: 'PaymentRefunded',
      correlationId: orderId,
      causationId: refund.id,
      payload: {
        orderId,
        paymentId: (authorized?.payload as { paymentId: string }).paymentId,
        amountCents: 2_500,
        currency: 'EUR',
      },
    });
    const { rows } = await payment.db.query<{ id: string; amount_cents: string; reason: string }>(
      'SELECT id, amount_cents, reason FROM refunds',
    );
    expect(rows).toContainEqual({
      id: (refunded?.payload as { refundId: string }).refundId,
      amount_cents: '2500',
      reason: 'CUSTOMER_CANCELLED',
    });
  });

  it('when a refund is redelivered and re-sent, then one refund answers both with the same refund id', async () => {
    const authorize = authorizePayment({ paymentToken: 'tok_mastercard' });
    const { orderId } = authorize.payload;
    const refund = refundPayment({ orderId });
    const resent = { ...refund, id: randomUUID() };

    await kafka.publish(authorize, refund, refund, resent);

    const events = await waitForPaymentEvents(collector, orderId, 3);
    const refunds = events.filter((event) => event.type === 'PaymentRefunded');
    expect(refunds.map((event) => event.causationId)).toEqual([refund.id, resent.id]);
    expect(
      new Set(refunds.map((event) => (event.payload as { refundId: string }).refundId)).size,
    ).toBe(1);
    const { rows } = await payment.db.query(
      'SELECT r.id FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.order_id = $1',
      [orderId],
    );
    expect(rows).toHaveLength(1);
  });

  it('when an order that was never authorized is refunded, then nothing is emitted and nothing stored', async () => {
    const orderId = randomUUID();
    const refund = refundPayment({ orderId });
    // Same key, so the same partition: its answer arrives only after the refund was handled.
    const later = authorizePayment({ orderId, paymentToken: 'tok_chargeDeclined' });

    await kafka.publish(refund, later);

    await waitForPaymentEvents(collector, orderId);
    expect(paymentEventsOf(collector, orderId).map((event) => event.type)).toEqual([
      'PaymentDeclined',
    ]);
    const { rows } = await payment.db.query('SELECT 1 FROM inbox WHERE message_id = $1', [
      refund.id,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('when a refund exceeds the authorized amount, then it is dead-lettered and no refund is made', async () => {
    const authorize = authorizePayment({ paymentToken: 'tok_visa', amountCents: 1_000 });
    const { orderId } = authorize.payload;

    await kafka.publish(authorize, refundPayment({ orderId, amountCents: 1_001 }));

    const [letter] = await waitFor(
      () => {
        const letters = deadLettersOf(collector, orderId);
        return letters.length > 0 && letters;
      },
      { what: 'the refund in the dead-letter topic' },
    );
    expect(letter!.headers).toMatchObject({ 'dlq-reason': 'handler-failed' });
    expect(letter!.headers['dlq-error']).toContain('exceeds the authorized 1000');
    expect(paymentEventsOf(collector, orderId).map((event) => event.type)).toEqual([
      'PaymentAuthorized',
    ]);
  });
});

describe('a malformed command', () => {
  it('when a command fails its schema, then it goes to the dead-letter topic and the next one is still handled', async () => {
    const orderId = randomUUID();
    const malformed = JSON.stringify({
      ...authorizePayment({ orderId, paymentToken: 'tok_visa' }),
      payload: { orderId, amountCents: -5 },
    });

    await kafka.publish({ topic: topics.paymentCommands, key: orderId, value: malformed });
    await kafka.publish(authorizePayment({ orderId, paymentToken: 'tok_visa' }));

    const [event] = await waitForPaymentEvents(collector, orderId);
    expect(event?.type).toBe('PaymentAuthorized');
    const letters = deadLettersOf(collector, orderId);
    expect(letters).toHaveLength(1);
    expect(letters[0]!.headers).toMatchObject({
      'dlq-reason': 'invalid-message',
      'dlq-original-topic': `${payment.topicPrefix}${topics.paymentCommands}`,
    });
  });
});

describe('the operations endpoints', () => {
  async function get(path: string, role?: 'admin' | 'customer') {
    const headers: Record<string, string> = {};
    if (role) headers.authorization = `Bearer ${await payment.issuer.tokenFor(role)}`;
    const response = await fetch(`${payment.url}${path}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it("when an admin asks for an order's payments, then the payment and its refunds are listed, as documented", async () => {
    const authorize = authorizePayment({ paymentToken: 'tok_visa', amountCents: 700 });
    const { orderId } = authorize.payload;
    await kafka.publish(authorize, refundPayment({ orderId, amountCents: 300 }));
    await waitForPaymentEvents(collector, orderId, 2);

    const { status, body } = await get(`/api/payments?orderId=${orderId}`, 'admin');

    expect(status).toBe(200);
    expect(paymentsOfOrderSchema.parse(body)).toEqual({
      orderId,
      items: [
        expect.objectContaining({
          orderId,
          customerId: authorize.payload.customerId,
          amountCents: 700,
          currency: 'EUR',
          status: 'AUTHORIZED',
          declineReason: null,
          attempts: 1,
          refunds: [expect.objectContaining({ amountCents: 300, reason: 'CUSTOMER_CANCELLED' })],
        }),
      ],
    });
  });

  it('when an admin asks about an unknown order, then no payments are listed', async () => {
    const { status, body } = await get(`/api/payments?orderId=${randomUUID()}`, 'admin');

    expect(status).toBe(200);
    expect(body.items).toEqual([]);
  });

  it('when the order id is not a UUID, then 400 names the field', async () => {
    const { status, body } = await get('/api/payments?orderId=nope', 'admin');

    expect(status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ path: 'orderId' })]);
  });

  it('when an admin asks for the summary, then it counts and sums authorizations, declines and refunds, as documented', async () => {
    const authorize = authorizePayment({
      paymentToken: 'tok_visa',
      amountCents: 900,
      currency: 'JPY',
    });
    const { orderId } = authorize.payload;
    await kafka.publish(authorize, refundPayment({ orderId, amountCents: 900, currency: 'JPY' }));
    await waitForPaymentEvents(collector, orderId, 2);

    const { status, body } = await get('/api/payments/summary', 'admin');

    expect(status).toBe(200);
    const summary = paymentSummarySchema.parse(body);
    expect(summary.payments.total).toBe(summary.payments.authorized + summary.payments.declined);
    expect(summary.payments.declinedByReason).toHaveProperty('PAYMENT_UNAVAILABLE');
    const yen = summary.byCurrency.find((row) => row.currency === 'JPY');
    expect(yen?.authorizedCents).toBeGreaterThanOrEqual(900);
    expect(yen?.refundedCents).toBeGreaterThanOrEqual(900);
  });

  it.each(['/api/payments/summary', `/api/payments?orderId=${randomUUID()}`])(
    'when a customer asks for %s, then 403',
    async (path) => {
      expect((await get(path, 'customer')).status).toBe(403);
    },
  );

  it.each(['/api/payments/summary', `/api/payments?orderId=${randomUUID()}`])(
    'when nobody is signed in for %s, then 401',
    async (path) => {
      expect((await get(path)).status).toBe(401);
    },
  );
});
