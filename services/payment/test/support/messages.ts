import { randomUUID } from 'node:crypto';
import { createMessage, type MessageOf, type PayloadOf } from '@shop/contracts';

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
