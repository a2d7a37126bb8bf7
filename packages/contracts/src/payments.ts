import { amountCentsSchema, currencySchema, timestampSchema, uuidSchema } from './common';
import { paymentDeclineReasonSchema } from './events/payment';
import { orderFailureReasonSchema } from './orders';
import { z } from './zod';

/** AUTHORIZED: the processor approved it. DECLINED: it refused, or kept failing transiently. */
export const paymentStatusSchema = z.enum(['AUTHORIZED', 'DECLINED']).openapi('PaymentStatus');

export const paymentsQuerySchema = z.strictObject({ orderId: uuidSchema });

export const refundSchema = z
  .object({
    id: uuidSchema,
    amountCents: amountCentsSchema,
    reason: orderFailureReasonSchema,
    createdAt: timestampSchema,
  })
  .openapi('Refund', {
    description:
      'Money given back; `reason` is the RefundPayment command’s, normally CUSTOMER_CANCELLED',
  });

export const paymentSchema = z
  .object({
    id: uuidSchema,
    orderId: uuidSchema,
    customerId: uuidSchema,
    amountCents: amountCentsSchema,
    currency: currencySchema,
    status: paymentStatusSchema,
    declineReason: paymentDeclineReasonSchema.nullable(),
    authorizationCode: z.string().nullable(),
    attempts: z
      .number()
      .int()
      .min(1)
      .openapi({ description: 'Calls made to the processor, retries included' }),
    createdAt: timestampSchema,
    refunds: z.array(refundSchema).max(1),
  })
  .openapi('Payment', {
    description:
      'An order’s payment, whatever the outcome: an AUTHORIZED one has an `authorizationCode` ' +
      'and no `declineReason`, a DECLINED one the reverse. At most one refund.',
  });

/** `items` holds at most the one payment of the order; it is empty when payment never saw it. */
export const paymentsOfOrderSchema = z
  .object({
    orderId: uuidSchema,
    items: z.array(paymentSchema).max(1),
  })
  .openapi('PaymentsOfOrder');

const countSchema = z.number().int().min(0);

export const paymentCurrencyTotalsSchema = z
  .object({
    currency: currencySchema,
    authorizedCount: countSchema,
    authorizedCents: amountCentsSchema,
    refundedCount: countSchema,
    refundedCents: amountCentsSchema,
  })
  .openapi('PaymentCurrencyTotals');

export const paymentSummarySchema = z
  .object({
    payments: z.object({
      total: countSchema,
      authorized: countSchema,
      declined: countSchema,
      declinedByReason: z
        .partialRecord(paymentDeclineReasonSchema, z.number().int().min(1))
        .openapi({ description: 'A reason no payment was declined for is absent' }),
    }),
    refunds: z.object({ total: countSchema }),
    byCurrency: z
      .array(paymentCurrencyTotalsSchema)
      .openapi({ description: 'One entry per currency with an authorization or a refund, A–Z' }),
    asOf: timestampSchema,
  })
  .openapi('PaymentSummary');

export type PaymentStatus = z.infer<typeof paymentStatusSchema>;
export type PaymentsQuery = z.infer<typeof paymentsQuerySchema>;
export type Refund = z.infer<typeof refundSchema>;
export type Payment = z.infer<typeof paymentSchema>;
export type PaymentsOfOrder = z.infer<typeof paymentsOfOrderSchema>;
export type PaymentCurrencyTotals = z.infer<typeof paymentCurrencyTotalsSchema>;
export type PaymentSummary = z.infer<typeof paymentSummarySchema>;
