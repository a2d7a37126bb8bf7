import {
  releaseReasonSchema,
  type OrderFailureReason,
  type PayloadOf,
  type ReleaseReason,
} from '@shop/contracts';
import type { OrderRecord } from '../data/orders';
import type { Outgoing } from '../messaging/emit';
import { commandOfAction, type ActionName } from './saga-machine';

/** The command an action sends for this order; built once, then re-sent unchanged. */
export function commandFor(
  action: ActionName,
  order: OrderRecord,
  failureReason: OrderFailureReason | null,
): Outgoing {
  const orderId = order.id;
  const type = commandOfAction[action];
  switch (type) {
    case 'ReserveStock':
      return {
        type,
        payload: {
          orderId,
          lines: order.items.map(({ productId, quantity }) => ({ productId, quantity })),
        },
      };
    case 'AuthorizePayment':
      return {
        type,
        payload: {
          orderId,
          customerId: order.customerId,
          amountCents: order.totalCents,
          currency: order.currency,
          paymentToken: order.paymentToken,
        },
      };
    case 'CommitStock':
      return { type, payload: { orderId } };
    case 'ReleaseStock':
      return { type, payload: { orderId, reason: releaseReasonFor(failureReason) } };
    case 'RefundPayment':
      return {
        type,
        payload: {
          orderId,
          amountCents: order.totalCents,
          currency: order.currency,
          reason: failureReason ?? 'CUSTOMER_CANCELLED',
        } satisfies PayloadOf<'RefundPayment'>,
      };
  }
}

/** The failure reason when inventory knows it; any other undo is a plain COMPENSATION. */
export function releaseReasonFor(failureReason: OrderFailureReason | null): ReleaseReason {
  const parsed = releaseReasonSchema.safeParse(failureReason);
  return parsed.success ? parsed.data : 'COMPENSATION';
}
