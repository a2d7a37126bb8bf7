import { randomUUID } from 'node:crypto';
import { createMessage, type OrderItem } from '@shop/contracts';

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
