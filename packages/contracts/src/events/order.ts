import { amountCentsSchema, currencySchema, uuidSchema } from '../common';
import { orderFailureReasonSchema, orderItemSchema } from '../orders';
import { z } from '../zod';
import { messageSchema } from './envelope';

const orderSummaryFields = {
  orderId: uuidSchema,
  customerId: uuidSchema,
  items: z.array(orderItemSchema).min(1),
  totalCents: amountCentsSchema,
  currency: currencySchema,
};

export const orderPlacedPayloadSchema = z.object(orderSummaryFields);
export const orderConfirmedPayloadSchema = z.object(orderSummaryFields);
export const orderCancelledPayloadSchema = z.object({
  orderId: uuidSchema,
  customerId: uuidSchema,
  reason: orderFailureReasonSchema,
  totalCents: amountCentsSchema,
  currency: currencySchema,
});

export const orderPlacedMessageSchema = messageSchema('OrderPlaced', orderPlacedPayloadSchema);
export const orderConfirmedMessageSchema = messageSchema(
  'OrderConfirmed',
  orderConfirmedPayloadSchema,
);
export const orderCancelledMessageSchema = messageSchema(
  'OrderCancelled',
  orderCancelledPayloadSchema,
);

export const orderEventsSchema = z.discriminatedUnion('type', [
  orderPlacedMessageSchema,
  orderConfirmedMessageSchema,
  orderCancelledMessageSchema,
]);
