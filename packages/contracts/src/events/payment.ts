import { amountCentsSchema, currencySchema, uuidSchema } from '../common';
import { orderFailureReasonSchema, paymentTokenSchema } from '../orders';
import { z } from '../zod';
import { messageSchema } from './envelope';

export const paymentDeclineReasonSchema = z.enum([
  'PAYMENT_DECLINED',
  'INSUFFICIENT_FUNDS',
  'PAYMENT_UNAVAILABLE',
]);

export const authorizePaymentPayloadSchema = z.object({
  orderId: uuidSchema,
  customerId: uuidSchema,
  amountCents: amountCentsSchema,
  currency: currencySchema,
  paymentToken: paymentTokenSchema,
});

/** `reason` is why the order is being undone, normally `CUSTOMER_CANCELLED`. */
export const refundPaymentPayloadSchema = z.object({
  orderId: uuidSchema,
  amountCents: amountCentsSchema,
  currency: currencySchema,
  reason: orderFailureReasonSchema,
});

export const paymentAuthorizedPayloadSchema = z.object({
  orderId: uuidSchema,
  paymentId: uuidSchema,
  amountCents: amountCentsSchema,
  currency: currencySchema,
});

/** `PAYMENT_UNAVAILABLE`: the processor kept failing transiently and payment gave up retrying. */
export const paymentDeclinedPayloadSchema = z.object({
  orderId: uuidSchema,
  reason: paymentDeclineReasonSchema,
});

export const paymentRefundedPayloadSchema = z.object({
  orderId: uuidSchema,
  paymentId: uuidSchema,
  refundId: uuidSchema,
  amountCents: amountCentsSchema,
  currency: currencySchema,
});

export const authorizePaymentMessageSchema = messageSchema(
  'AuthorizePayment',
  authorizePaymentPayloadSchema,
);
export const refundPaymentMessageSchema = messageSchema(
  'RefundPayment',
  refundPaymentPayloadSchema,
);
export const paymentAuthorizedMessageSchema = messageSchema(
  'PaymentAuthorized',
  paymentAuthorizedPayloadSchema,
);
export const paymentDeclinedMessageSchema = messageSchema(
  'PaymentDeclined',
  paymentDeclinedPayloadSchema,
);
export const paymentRefundedMessageSchema = messageSchema(
  'PaymentRefunded',
  paymentRefundedPayloadSchema,
);

export const paymentCommandsSchema = z.discriminatedUnion('type', [
  authorizePaymentMessageSchema,
  refundPaymentMessageSchema,
]);

export const paymentEventsSchema = z.discriminatedUnion('type', [
  paymentAuthorizedMessageSchema,
  paymentDeclinedMessageSchema,
  paymentRefundedMessageSchema,
]);

export type PaymentDeclineReason = z.infer<typeof paymentDeclineReasonSchema>;
