import { skuSchema } from './catalog';
import { amountCentsSchema, currencySchema, timestampSchema, uuidSchema } from './common';
import { z } from './zod';

export const MAX_CART_LINES = 50;
export const MAX_LINE_QUANTITY = 99;

export const cartItemSchema = z
  .object({
    productId: uuidSchema,
    sku: skuSchema,
    name: z.string(),
    unitPriceCents: amountCentsSchema,
    quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
    lineTotalCents: amountCentsSchema,
  })
  .openapi('CartItem');

// An empty cart still names a currency (the shop's default) so clients never branch on its absence.
export const cartSchema = z
  .object({
    items: z.array(cartItemSchema).max(MAX_CART_LINES),
    subtotalCents: amountCentsSchema,
    currency: currencySchema,
    updatedAt: timestampSchema,
  })
  .openapi('Cart');

export const addCartItemBodySchema = z
  .strictObject({
    productId: uuidSchema,
    quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
  })
  .openapi('AddCartItemRequest');

export const setCartItemQuantityBodySchema = z
  .strictObject({
    quantity: z
      .number()
      .int()
      .min(0)
      .max(MAX_LINE_QUANTITY)
      .openapi({ description: '0 removes the line' }),
  })
  .openapi('SetCartItemQuantityRequest');

export type CartItem = z.infer<typeof cartItemSchema>;
export type Cart = z.infer<typeof cartSchema>;
export type AddCartItemBody = z.infer<typeof addCartItemBodySchema>;
export type SetCartItemQuantityBody = z.infer<typeof setCartItemQuantityBodySchema>;
