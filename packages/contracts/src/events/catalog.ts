import { skuSchema } from '../catalog';
import { amountCentsSchema, currencySchema, slugSchema, uuidSchema } from '../common';
import { z } from '../zod';
import { messageSchema } from './envelope';

const productFields = {
  productId: uuidSchema,
  sku: skuSchema,
  name: z.string().min(1),
  description: z.string(),
  category: slugSchema,
  priceCents: amountCentsSchema,
  currency: currencySchema,
  imageUrl: z.string().nullable(),
};

/** Inventory creates the stock row from `initialStock`; cart refreshes its snapshots. */
export const productCreatedPayloadSchema = z.object({
  ...productFields,
  initialStock: z.number().int().min(0),
});

/** The full product after the change, not a diff: a consumer that missed one still converges. */
export const productUpdatedPayloadSchema = z.object(productFields);

export const productCreatedMessageSchema = messageSchema(
  'ProductCreated',
  productCreatedPayloadSchema,
);
export const productUpdatedMessageSchema = messageSchema(
  'ProductUpdated',
  productUpdatedPayloadSchema,
);

export const catalogEventsSchema = z.discriminatedUnion('type', [
  productCreatedMessageSchema,
  productUpdatedMessageSchema,
]);
