import { randomUUID } from 'node:crypto';
import { createMessage, type MessageOf } from '@shop/contracts';

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
