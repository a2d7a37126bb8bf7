import { randomUUID } from 'node:crypto';
import { describeCancellationReason, formatMoney, renderNotification } from '../src/domain/render';
import { isPermanentSmtpFailure, messageIdFor } from '../src/mail/smtp-mailer';

const recipient = { email: 'ada@example.test', name: 'Ada' };

describe('rendering notifications', () => {
  test('when an amount in minor units is formatted, then the currency decides the decimals', () => {
    expect(formatMoney(12_345, 'USD')).toBe('$123.45');
    expect(formatMoney(12_345, 'EUR')).toBe('€123.45');
    expect(formatMoney(12_345, 'JPY')).toBe('¥12,345');
  });

  test('when an order is confirmed, then the body lists each line and the total', () => {
    const orderId = randomUUID();

    const message = renderNotification(
      {
        kind: 'ORDER_CONFIRMED',
        payload: {
          orderId,
          customerId: randomUUID(),
          items: [
            {
              productId: randomUUID(),
              sku: 'MUG-1',
              name: 'Mug',
              unitPriceCents: 1_000,
              quantity: 3,
            },
            {
              productId: randomUUID(),
              sku: 'TEA-2',
              name: 'Tea',
              unitPriceCents: 450,
              quantity: 1,
            },
          ],
          totalCents: 3_450,
          currency: 'USD',
        },
      },
      recipient,
    );

    expect(message.subject).toBe(`Your order ${orderId.slice(0, 8).toUpperCase()} is confirmed`);
    expect(message.body).toContain('Hello Ada,');
    expect(message.body).toContain('3 x Mug (MUG-1)  $30.00');
    expect(message.body).toContain('1 x Tea (TEA-2)  $4.50');
    expect(message.body).toContain('Total: $34.50');
  });

  test('when an order is cancelled, then the reason is given in words', () => {
    const message = renderNotification(
      {
        kind: 'ORDER_CANCELLED',
        payload: {
          orderId: randomUUID(),
          customerId: randomUUID(),
          reason: 'INSUFFICIENT_FUNDS',
          totalCents: 999,
          currency: 'EUR',
        },
      },
      recipient,
    );

    expect(message.body).toContain(
      '(€9.99) was cancelled because the card had insufficient funds.',
    );
  });

  test('when any failure reason is described, then it reads as words, not a code', () => {
    for (const reason of [
      'OUT_OF_STOCK',
      'PAYMENT_DECLINED',
      'INSUFFICIENT_FUNDS',
      'PAYMENT_UNAVAILABLE',
      'TIMEOUT',
      'CUSTOMER_CANCELLED',
    ] as const) {
      expect(describeCancellationReason(reason)).toMatch(/^[a-z][a-z ,.]+$/i);
      expect(describeCancellationReason(reason)).not.toContain('_');
    }
  });
});

describe('SMTP delivery rules', () => {
  test('when a Message-ID is made for a notification, then it is the same every time, in the sender domain', () => {
    const id = randomUUID();

    expect(messageIdFor(id, 'shop <no-reply@shop.test>')).toBe(`<${id}@shop.test>`);
    expect(messageIdFor(id, 'no-reply@mail.example.com')).toBe(`<${id}@mail.example.com>`);
  });

  test('when the server replied 5xx, then the failure is permanent; 4xx and network errors are not', () => {
    expect(isPermanentSmtpFailure({ responseCode: 550 })).toBe(true);
    expect(isPermanentSmtpFailure({ responseCode: 451 })).toBe(false);
    expect(
      isPermanentSmtpFailure(Object.assign(new Error('refused'), { code: 'ECONNECTION' })),
    ).toBe(false);
  });
});
