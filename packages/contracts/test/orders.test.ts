import {
  idempotencyKeySchema,
  orderSchema,
  placeOrderBodySchema,
  problemSchema,
  sagaTimelineSchema,
} from '@shop/contracts';

const address = {
  name: 'Ann Example',
  line1: 'Hauptstr. 1',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};
const orderId = '3f1c2b9e-8d4a-4e7b-9c1d-0a2b3c4d5e6f';

describe('place order body', () => {
  test('when the body is valid, then it parses', () => {
    expect(
      placeOrderBodySchema.safeParse({ shippingAddress: address, paymentToken: 'tok_visa' })
        .success,
    ).toBe(true);
  });

  test.each([
    ['an unknown top-level field', { totalCents: 1 }],
    ['an unknown address field', { shippingAddress: { ...address, phone: '123' } }],
    ['a lower-case country', { shippingAddress: { ...address, country: 'de' } }],
    ['a three-letter country', { shippingAddress: { ...address, country: 'DEU' } }],
    ['an unassigned country code', { shippingAddress: { ...address, country: 'ZZ' } }],
    ['a missing city', { shippingAddress: { ...address, city: undefined } }],
    ['a token that is not one', { paymentToken: '4242 4242 4242 4242' }],
  ])('when the body has %s, then it is rejected', (_label, change) => {
    const body = { shippingAddress: address, paymentToken: 'tok_visa', ...change };

    expect(placeOrderBodySchema.safeParse(body).success).toBe(false);
  });

  test.each([
    ['', false],
    ['k', true],
    ['k'.repeat(255), true],
    ['k'.repeat(256), false],
  ])('when the Idempotency-Key is %p, then acceptance is %p', (key, accepted) => {
    expect(idempotencyKeySchema.safeParse(key).success).toBe(accepted);
  });
});

describe('order responses', () => {
  test('when a cancelled order names its reason, then it parses', () => {
    const order = {
      id: orderId,
      status: 'CANCELLED',
      items: [
        {
          productId: '9d2e1f3a-4b5c-4d6e-8f7a-1b2c3d4e5f6a',
          sku: 'KB-MECH-001',
          name: 'Keyboard',
          unitPriceCents: 8999,
          quantity: 1,
        },
      ],
      totalCents: 8999,
      currency: 'EUR',
      shippingAddress: address,
      failureReason: 'OUT_OF_STOCK',
      createdAt: '2025-01-31T12:00:00.000Z',
      updatedAt: '2025-01-31T12:00:01.000Z',
      history: [
        { status: 'PENDING', at: '2025-01-31T12:00:00.000Z' },
        { status: 'CANCELLED', at: '2025-01-31T12:00:01.000Z', reason: 'OUT_OF_STOCK' },
      ],
    };

    expect(orderSchema.safeParse(order).success).toBe(true);
    expect(orderSchema.safeParse({ ...order, failureReason: 'BORED' }).success).toBe(false);
  });

  test('when a saga was compensated, then its timeline shows the step and its compensation', () => {
    const at = '2025-01-31T12:00:00.000Z';
    const timeline = {
      orderId,
      status: 'COMPENSATED',
      orderStatus: 'CANCELLED',
      failureReason: 'PAYMENT_DECLINED',
      startedAt: at,
      updatedAt: at,
      steps: [
        {
          name: 'RESERVE_STOCK',
          command: 'ReserveStock',
          status: 'SUCCEEDED',
          attempts: 1,
          lastSentAt: at,
          deadline: at,
          reply: { messageId: orderId, type: 'StockReserved', receivedAt: at },
        },
        {
          name: 'AUTHORIZE_PAYMENT',
          command: 'AuthorizePayment',
          status: 'FAILED',
          attempts: 2,
          lastSentAt: at,
          deadline: at,
          reply: {
            messageId: orderId,
            type: 'PaymentDeclined',
            receivedAt: at,
            reason: 'PAYMENT_DECLINED',
          },
        },
      ],
      compensations: [
        {
          name: 'RELEASE_STOCK',
          compensates: 'RESERVE_STOCK',
          command: 'ReleaseStock',
          status: 'SUCCEEDED',
          attempts: 1,
          lastSentAt: at,
          deadline: null,
          reply: { messageId: orderId, type: 'StockReleased', receivedAt: at },
        },
      ],
    };

    expect(sagaTimelineSchema.safeParse(timeline).success).toBe(true);
  });
});

describe('problem document', () => {
  test('when a validation problem names its fields, then it parses', () => {
    const problem = {
      type: 'https://shop.example/problems/validation',
      title: 'Bad Request',
      status: 400,
      detail: 'The body is invalid',
      instance: '/api/orders',
      requestId: 'req-1',
      errors: [{ path: 'shippingAddress.country', message: 'Invalid' }],
    };

    expect(problemSchema.safeParse(problem).success).toBe(true);
    expect(problemSchema.safeParse({ ...problem, status: 200 }).success).toBe(false);
  });
});
