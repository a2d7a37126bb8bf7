import type { Order } from '@shop/contracts';
import type { OrderRecord } from '../data/orders';

/** The order as API.md shows it: the payment token stays inside. */
export function toOrderView(order: OrderRecord): Order {
  return {
    id: order.id,
    status: order.status,
    items: order.items,
    totalCents: order.totalCents,
    currency: order.currency,
    shippingAddress: order.shippingAddress,
    ...(order.failureReason === undefined ? {} : { failureReason: order.failureReason }),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    history: order.history.map(({ status, at, reason }) => ({
      status,
      at: at.toISOString(),
      ...(reason === undefined ? {} : { reason }),
    })),
  };
}
