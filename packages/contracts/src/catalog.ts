import {
  amountCentsSchema,
  currencySchema,
  optionalQueryInt,
  paginated,
  paginationQuerySchema,
  queryEnumWithDefault,
  slugSchema,
  textSchema,
  timestampSchema,
  uuidSchema,
} from './common';
import { z } from './zod';

/** `LOW_STOCK` means 0 < available ≤ this (API.md). */
export const LOW_STOCK_THRESHOLD = 10;
export const MAX_INITIAL_STOCK = 100_000;
/**
 * Ten million in major units: a bound that keeps every order total (99 units a line) far inside
 * JavaScript's exact integers and PostgreSQL's bigint.
 */
export const MAX_PRICE_CENTS = 1_000_000_000;

export const skuSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"')
  .openapi({ example: 'KB-MECH-001' });

const productNameSchema = textSchema({ min: 1, max: 200 }).openapi({
  example: 'Mechanical keyboard',
});
const descriptionSchema = textSchema({ max: 5000 });
const priceCentsSchema = z.number().int().min(0).max(MAX_PRICE_CENTS);
// Stored and shown, never fetched by any service (no server-side request forgery to guard).
const imageUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .openapi({ pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$' });

export const stockStatusSchema = z
  .enum(['IN_STOCK', 'LOW_STOCK', 'OUT_OF_STOCK'])
  .openapi('StockStatus');

export function stockStatusOf(available: number): StockStatus {
  if (available <= 0) return 'OUT_OF_STOCK';
  return available <= LOW_STOCK_THRESHOLD ? 'LOW_STOCK' : 'IN_STOCK';
}

/** The catalog's eventually consistent copy of inventory; `asOf` says how fresh it is. */
export const productStockSchema = z
  .object({
    available: z.number().int().min(0),
    status: stockStatusSchema,
    asOf: timestampSchema,
  })
  .openapi('ProductStock');

export const productSchema = z
  .object({
    id: uuidSchema,
    sku: skuSchema,
    name: productNameSchema,
    description: descriptionSchema,
    category: slugSchema,
    priceCents: amountCentsSchema,
    currency: currencySchema,
    imageUrl: imageUrlSchema.nullable(),
    stock: productStockSchema,
  })
  .openapi('Product');

const productSortValues = ['relevance', 'price_asc', 'price_desc', 'name'] as const;
export const productSortSchema = z.enum(productSortValues);

// Unknown query parameters are ignored, not rejected: caches and trackers append their own.
export const productListQuerySchema = paginationQuerySchema.extend({
  search: textSchema({ max: 200 }).optional(),
  category: slugSchema.optional(),
  minPriceCents: optionalQueryInt({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  maxPriceCents: optionalQueryInt({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  inStock: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .openapi({ type: 'string', enum: ['true', 'false'] }),
  sort: queryEnumWithDefault(productSortValues, 'relevance'),
});
// A minimum above the maximum is not an error: like any filter, it simply matches nothing.

export const productPageSchema = paginated(productSchema, 'ProductPage');

export const categorySchema = z
  .object({
    slug: slugSchema,
    name: z.string().min(1).max(100).openapi({ example: 'Keyboards' }),
    productCount: z.number().int().min(0),
  })
  .openapi('Category');

export const categoryListSchema = z.array(categorySchema).openapi('CategoryList');

export const createProductBodySchema = z
  .strictObject({
    sku: skuSchema,
    name: productNameSchema,
    description: descriptionSchema,
    category: slugSchema,
    priceCents: priceCentsSchema,
    currency: currencySchema,
    imageUrl: imageUrlSchema.optional(),
    initialStock: z.number().int().min(0).max(MAX_INITIAL_STOCK).default(0),
  })
  .openapi('CreateProductRequest');

// sku and currency are fixed at creation: the sku is the business key inventory rows hang on, and
// re-pricing in another currency would silently change every open cart's total.
export const updateProductBodySchema = z
  .strictObject({
    name: productNameSchema,
    description: descriptionSchema,
    category: slugSchema,
    priceCents: priceCentsSchema,
    imageUrl: imageUrlSchema.nullable().openapi({ description: '`null` removes the image' }),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'must change at least one field')
  .openapi('UpdateProductRequest', { minProperties: 1 });

export type StockStatus = z.infer<typeof stockStatusSchema>;
export type ProductStock = z.infer<typeof productStockSchema>;
export type Product = z.infer<typeof productSchema>;
export type ProductSort = z.infer<typeof productSortSchema>;
export type ProductListQuery = z.infer<typeof productListQuerySchema>;
export type ProductPage = z.infer<typeof productPageSchema>;
export type Category = z.infer<typeof categorySchema>;
export type CreateProductBody = z.infer<typeof createProductBodySchema>;
export type CreateProductInput = z.input<typeof createProductBodySchema>;
export type UpdateProductBody = z.infer<typeof updateProductBodySchema>;
