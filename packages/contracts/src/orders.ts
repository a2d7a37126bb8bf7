import { skuSchema } from './catalog';
import {
  amountCentsSchema,
  countryCodeSchema,
  currencySchema,
  paginated,
  textSchema,
  timestampSchema,
  uuidSchema,
} from './common';
import { commandTypes, eventTypes } from './events/names';
import { z } from './zod';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

export const idempotencyKeySchema = z.string().min(1).max(255).openapi({
  description: 'Client-chosen key; the same key and body within 24 h replays the first answer',
  example: '5d1f6c9e-7b1a-4f55-9a8e-3c2d1b0a9f87',
});

export const placeOrderHeadersSchema = z.object({ 'idempotency-key': idempotencyKeySchema });

export const orderStatusSchema = z
  .enum(['PENDING', 'STOCK_RESERVED', 'CONFIRMED', 'CANCELLED'])
  .openapi('OrderStatus');

export const orderFailureReasonSchema = z
  .enum([
    'OUT_OF_STOCK',
    'PAYMENT_DECLINED',
    'INSUFFICIENT_FUNDS',
    'PAYMENT_UNAVAILABLE',
    'TIMEOUT',
    'CUSTOMER_CANCELLED',
  ])
  .openapi('OrderFailureReason');

export const exampleShippingAddress = {
  name: 'Ann Example',
  line1: 'Hauptstraße 1',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};

export const shippingAddressSchema = z
  .strictObject({
    name: textSchema({ min: 1, max: 100 }),
    line1: textSchema({ min: 1, max: 200 }),
    line2: textSchema({ max: 200 }).optional(),
    city: textSchema({ min: 1, max: 100 }),
    postalCode: textSchema({ min: 1, max: 20 }),
    country: countryCodeSchema,
  })
  .openapi('ShippingAddress', { example: exampleShippingAddress });

/** Card-processor style test tokens and what the simulated processor does with them (API.md). */
export const testPaymentTokens = {
  tok_visa: 'authorized',
  tok_mastercard: 'authorized',
  tok_chargeDeclined: 'PAYMENT_DECLINED',
  tok_insufficientFunds: 'INSUFFICIENT_FUNDS',
  tok_processingError: 'transient processor error, retried, then PAYMENT_UNAVAILABLE',
} as const;

export const paymentTokenSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^tok_[A-Za-z0-9_]+$/, 'must be a payment token like "tok_visa"')
  .openapi({ example: 'tok_visa', description: Object.keys(testPaymentTokens).join(', ') });

export const placeOrderBodySchema = z
  .strictObject({
    shippingAddress: shippingAddressSchema,
    paymentToken: paymentTokenSchema,
  })
  .openapi('PlaceOrderRequest');

export const orderItemSchema = z
  .object({
    productId: uuidSchema,
    sku: skuSchema,
    name: z.string(),
    unitPriceCents: amountCentsSchema,
    quantity: z.number().int().min(1),
  })
  .openapi('OrderItem');

export const orderHistoryEntrySchema = z
  .object({
    status: orderStatusSchema,
    at: timestampSchema,
    reason: orderFailureReasonSchema.optional(),
  })
  .openapi('OrderHistoryEntry');

export const orderSchema = z
  .object({
    id: uuidSchema,
    status: orderStatusSchema,
    items: z.array(orderItemSchema).min(1),
    totalCents: amountCentsSchema,
    currency: currencySchema,
    shippingAddress: shippingAddressSchema,
    failureReason: orderFailureReasonSchema.optional(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    history: z.array(orderHistoryEntrySchema),
  })
  .openapi('Order');

export const orderPageSchema = paginated(orderSchema, 'OrderPage');

export const sagaStepNameSchema = z
  .enum(['RESERVE_STOCK', 'AUTHORIZE_PAYMENT', 'COMMIT_STOCK'])
  .openapi('SagaStepName');

export const sagaCompensationNameSchema = z
  .enum(['RELEASE_STOCK', 'REFUND_PAYMENT'])
  .openapi('SagaCompensationName');

/**
 * PENDING: not sent yet. AWAITING_REPLY: sent (maybe re-sent), no reply yet. SUCCEEDED/FAILED: the
 * reply said so. TIMED_OUT: the deadline passed without a reply. SKIPPED: an earlier failure made
 * it unnecessary.
 */
export const sagaStepStatusSchema = z
  .enum(['PENDING', 'AWAITING_REPLY', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'SKIPPED'])
  .openapi('SagaStepStatus');

export const sagaStatusSchema = z
  .enum(['RUNNING', 'COMPLETED', 'COMPENSATING', 'COMPENSATED'])
  .openapi('SagaStatus');

export const sagaReplySchema = z
  .object({
    messageId: uuidSchema,
    type: z.enum(eventTypes),
    receivedAt: timestampSchema,
    reason: z.string().optional().openapi({ description: 'The reply’s reason, for a failure' }),
  })
  .openapi('SagaReply');

const sagaActionShape = {
  command: z.enum(commandTypes),
  status: sagaStepStatusSchema,
  attempts: z.number().int().min(0),
  lastSentAt: timestampSchema.nullable(),
  deadline: timestampSchema.nullable(),
  reply: sagaReplySchema.nullable(),
};

export const sagaStepSchema = z
  .object({ name: sagaStepNameSchema, ...sagaActionShape })
  .openapi('SagaStep');

/** An action that undoes a completed step: releasing a reservation, refunding a payment. */
export const sagaCompensationSchema = z
  .object({
    name: sagaCompensationNameSchema,
    compensates: sagaStepNameSchema,
    ...sagaActionShape,
  })
  .openapi('SagaCompensation');

export const sagaTimelineSchema = z
  .object({
    orderId: uuidSchema,
    status: sagaStatusSchema,
    orderStatus: orderStatusSchema,
    failureReason: orderFailureReasonSchema.optional(),
    startedAt: timestampSchema,
    updatedAt: timestampSchema,
    steps: z.array(sagaStepSchema),
    compensations: z.array(sagaCompensationSchema),
  })
  .openapi('SagaTimeline');

/**
 * What `GET /api/orders/:id/events` sends (server-sent events, `event: order`): the order and its
 * saga, once when the stream opens and again after every change the saga commits.
 */
export const orderSnapshotSchema = z
  .object({ order: orderSchema, saga: sagaTimelineSchema })
  .openapi('OrderSnapshot');

/**
 * One event of that stream, as OpenAPI 3.1 describes a `text/event-stream` (a schema per event):
 * `order` carries an OrderSnapshot as JSON, `end` the final status once both have settled.
 */
export const orderEventSchema = z
  .union([
    z.object({
      event: z.literal('order'),
      data: z.string().openapi({
        contentMediaType: 'application/json',
        contentSchema: { $ref: '#/components/schemas/OrderSnapshot' },
      } as Record<string, unknown>),
    }),
    z.object({
      event: z.literal('end'),
      data: z.string().openapi({
        contentMediaType: 'application/json',
        contentSchema: {
          type: 'object',
          properties: { status: { $ref: '#/components/schemas/OrderStatus' } },
          required: ['status'],
        },
      } as Record<string, unknown>),
    }),
  ])
  .openapi('OrderEvent');

/** A saga that ended recently, for the operations console's "slowest sagas". */
export const endedSagaSchema = z
  .object({
    orderId: uuidSchema,
    orderStatus: orderStatusSchema,
    failureReason: orderFailureReasonSchema.optional(),
    startedAt: timestampSchema,
    endedAt: timestampSchema,
    durationMs: z.number().int().min(0),
  })
  .openapi('EndedSaga');

export const slowestSagasQuerySchema = z.strictObject({
  withinSeconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(300)
    .openapi({ description: 'How far back to look for ended sagas' }),
  limit: z.coerce.number().int().min(1).max(50).default(5),
});

export const slowestSagasSchema = z
  .object({
    since: timestampSchema,
    items: z.array(endedSagaSchema).openapi({ description: 'Slowest first' }),
  })
  .openapi('SlowestSagas');

export type OrderStatus = z.infer<typeof orderStatusSchema>;
export type OrderFailureReason = z.infer<typeof orderFailureReasonSchema>;
export type ShippingAddress = z.infer<typeof shippingAddressSchema>;
export type PlaceOrderBody = z.infer<typeof placeOrderBodySchema>;
export type OrderItem = z.infer<typeof orderItemSchema>;
export type OrderHistoryEntry = z.infer<typeof orderHistoryEntrySchema>;
export type Order = z.infer<typeof orderSchema>;
export type OrderPage = z.infer<typeof orderPageSchema>;
export type SagaStepName = z.infer<typeof sagaStepNameSchema>;
export type SagaCompensationName = z.infer<typeof sagaCompensationNameSchema>;
export type SagaStepStatus = z.infer<typeof sagaStepStatusSchema>;
export type SagaStatus = z.infer<typeof sagaStatusSchema>;
export type SagaReply = z.infer<typeof sagaReplySchema>;
export type SagaStep = z.infer<typeof sagaStepSchema>;
export type SagaCompensation = z.infer<typeof sagaCompensationSchema>;
export type SagaTimeline = z.infer<typeof sagaTimelineSchema>;
export type OrderSnapshot = z.infer<typeof orderSnapshotSchema>;
export type EndedSaga = z.infer<typeof endedSagaSchema>;
export type SlowestSagasQuery = z.infer<typeof slowestSagasQuerySchema>;
export type SlowestSagas = z.infer<typeof slowestSagasSchema>;
