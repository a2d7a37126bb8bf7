import { skuSchema } from './catalog';
import { uuidSchema } from './common';
import { z } from './zod';

export const MAX_RESTOCK_QUANTITY = 100_000;

const stockCountSchema = z.number().int().min(0);

export const stockLevelsShape = {
  onHand: stockCountSchema,
  reserved: stockCountSchema,
  available: stockCountSchema,
};

interface StockCounts {
  onHand: number;
  reserved: number;
  available: number;
}

/** API.md: at every moment 0 ≤ reserved ≤ onHand and available = onHand − reserved. */
export function stockInvariantHolds({ onHand, reserved, available }: StockCounts): boolean {
  return reserved <= onHand && available === onHand - reserved;
}

export const stockInvariantIssue = {
  message: 'must satisfy 0 ≤ reserved ≤ onHand and available = onHand − reserved',
  path: ['available'],
};

export const stockLevelSchema = z
  .object({ productId: uuidSchema, sku: skuSchema, ...stockLevelsShape })
  .refine(stockInvariantHolds, stockInvariantIssue)
  .openapi('StockLevel');

export const restockBodySchema = z
  .strictObject({ quantity: z.number().int().min(1).max(MAX_RESTOCK_QUANTITY) })
  .openapi('RestockRequest');

export type StockLevel = z.infer<typeof stockLevelSchema>;
export type RestockBody = z.infer<typeof restockBodySchema>;
