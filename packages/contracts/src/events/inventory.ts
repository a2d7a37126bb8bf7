import { skuSchema } from '../catalog';
import { uuidSchema } from '../common';
import { stockInvariantHolds, stockInvariantIssue, stockLevelsShape } from '../inventory';
import { z } from '../zod';
import { messageSchema } from './envelope';

export const stockLineSchema = z.object({
  productId: uuidSchema,
  quantity: z.number().int().min(1),
});

/** Why the saga gives a reservation back; `COMPENSATION` covers any other undo. */
export const releaseReasonSchema = z.enum([
  'PAYMENT_DECLINED',
  'INSUFFICIENT_FUNDS',
  'PAYMENT_UNAVAILABLE',
  'TIMEOUT',
  'CUSTOMER_CANCELLED',
  'COMPENSATION',
]);

/** `EXPIRED`: inventory released a reservation that was never committed, on its own clock. */
export const stockReleasedReasonSchema = z.enum([...releaseReasonSchema.options, 'EXPIRED']);

export const reservationFailureReasonSchema = z.enum(['OUT_OF_STOCK', 'UNKNOWN_PRODUCT']);

/** All lines or none: inventory never reserves part of an order. */
export const reserveStockPayloadSchema = z.object({
  orderId: uuidSchema,
  lines: z.array(stockLineSchema).min(1),
});
export const releaseStockPayloadSchema = z.object({
  orderId: uuidSchema,
  reason: releaseReasonSchema,
});
export const commitStockPayloadSchema = z.object({ orderId: uuidSchema });

export const stockReservedPayloadSchema = z.object({
  orderId: uuidSchema,
  lines: z.array(stockLineSchema).min(1),
});
export const stockReservationFailedPayloadSchema = z.object({
  orderId: uuidSchema,
  reason: reservationFailureReasonSchema,
  shortages: z.array(
    z.object({
      productId: uuidSchema,
      requested: z.number().int().min(1),
      available: z.number().int().min(0),
    }),
  ),
});
export const stockReleasedPayloadSchema = z.object({
  orderId: uuidSchema,
  reason: stockReleasedReasonSchema,
});
export const stockCommittedPayloadSchema = z.object({ orderId: uuidSchema });

/**
 * `sequence` increases per product with every change, so a read model can drop a level that
 * arrives after a newer one (redelivery after a rebalance, say).
 */
export const stockLevelChangedPayloadSchema = z
  .object({
    productId: uuidSchema,
    sku: skuSchema,
    ...stockLevelsShape,
    sequence: z.number().int().min(0),
  })
  .refine(stockInvariantHolds, stockInvariantIssue);

export const reserveStockMessageSchema = messageSchema('ReserveStock', reserveStockPayloadSchema);
export const releaseStockMessageSchema = messageSchema('ReleaseStock', releaseStockPayloadSchema);
export const commitStockMessageSchema = messageSchema('CommitStock', commitStockPayloadSchema);

export const stockReservedMessageSchema = messageSchema(
  'StockReserved',
  stockReservedPayloadSchema,
);
export const stockReservationFailedMessageSchema = messageSchema(
  'StockReservationFailed',
  stockReservationFailedPayloadSchema,
);
export const stockReleasedMessageSchema = messageSchema(
  'StockReleased',
  stockReleasedPayloadSchema,
);
export const stockCommittedMessageSchema = messageSchema(
  'StockCommitted',
  stockCommittedPayloadSchema,
);
export const stockLevelChangedMessageSchema = messageSchema(
  'StockLevelChanged',
  stockLevelChangedPayloadSchema,
);

export const inventoryCommandsSchema = z.discriminatedUnion('type', [
  reserveStockMessageSchema,
  releaseStockMessageSchema,
  commitStockMessageSchema,
]);

/** The saga's replies: only order reads them. */
export const inventoryEventsSchema = z.discriminatedUnion('type', [
  stockReservedMessageSchema,
  stockReservationFailedMessageSchema,
  stockReleasedMessageSchema,
  stockCommittedMessageSchema,
]);

/**
 * Stock levels have a topic of their own (API.md), so the catalog's read model never reads the
 * saga's replies and the saga never reads the levels.
 */
export const inventoryStockLevelsSchema = z.discriminatedUnion('type', [
  stockLevelChangedMessageSchema,
]);

export type ReleaseReason = z.infer<typeof releaseReasonSchema>;
export type StockReleasedReason = z.infer<typeof stockReleasedReasonSchema>;
export type ReservationFailureReason = z.infer<typeof reservationFailureReasonSchema>;
export type StockLine = z.infer<typeof stockLineSchema>;
