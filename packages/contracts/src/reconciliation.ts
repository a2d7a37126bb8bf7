import { timestampSchema, uuidSchema } from './common';
import { orderStatusSchema } from './orders';
import { z } from './zod';

/**
 * The order saga orchestrator's own state, finer than its SagaStatus: the order service's
 * `src/domain/saga-machine.ts` says what each means. CONFIRMED and CANCELLED are the settled ones.
 */
export const sagaStateSchema = z.enum([
  'RESERVING',
  'AUTHORIZING',
  'COMMITTING',
  'CONFIRMED',
  'RELEASING',
  'RELEASING_AWAITING_PAYMENT',
  'AWAITING_PAYMENT',
  'REFUNDING',
  'RELEASING_AND_REFUNDING',
  'CANCELLED',
]);

const unitsSchema = z.number().int().min(0);

export const reconciledProductSchema = z
  .object({
    productId: uuidSchema,
    confirmed: unitsSchema.openapi({
      description: 'Units of orders CONFIRMED and staying so: inventory’s committed sales',
    }),
    inFlight: unitsSchema.openapi({
      description: 'Units of orders whose saga is still running or compensating',
    }),
  })
  .openapi('ReconciledProduct');

export const orderReconciliationSchema = z
  .object({
    asOf: timestampSchema,
    ordersByStatus: z
      .partialRecord(orderStatusSchema, z.number().int().min(1))
      .openapi({ description: 'A status no order has is absent' }),
    sagasByState: z.partialRecord(sagaStateSchema, z.number().int().min(1)).openapi({
      description: 'By the saga orchestrator’s own states; one no saga is in is absent',
    }),
    inFlightOrders: z
      .number()
      .int()
      .min(0)
      .openapi({ description: 'Orders whose saga is neither CONFIRMED nor CANCELLED' }),
    products: z
      .array(reconciledProductSchema)
      .openapi({ description: 'Every product ever ordered, by id' }),
  })
  .openapi('OrderReconciliation', {
    description:
      'Read in one snapshot. Once the system is quiet (`inFlightOrders` = 0), inventory should ' +
      'show, per product, committed sales = `confirmed` and nothing reserved; while orders are in ' +
      'flight, reserved ≤ `inFlight`.',
  });

export type SagaState = z.infer<typeof sagaStateSchema>;
export type ReconciledProduct = z.infer<typeof reconciledProductSchema>;
export type OrderReconciliation = z.infer<typeof orderReconciliationSchema>;
