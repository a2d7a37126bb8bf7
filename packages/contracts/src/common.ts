import { countryCodes } from './countries';
import { z } from './zod';

export const uuidSchema = z.uuid().openapi({ example: '0b6d6a2e-3f7a-4c8e-9a51-2f0c7f1d9e4b' });

/** ISO-8601 in UTC with a `Z` suffix, as `Date.prototype.toISOString()` writes it. */
export const timestampSchema = z.iso.datetime().openapi({ example: '2025-01-31T12:00:00.000Z' });

/** ISO 4217 alphabetic code. */
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code (3 upper-case letters)')
  .openapi({ example: 'EUR' });

/** Money in integer minor units (cents), never floats: 1999 with EUR is €19.99. */
export const amountCentsSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code (2 upper-case letters)')
  .refine((code) => countryCodes.has(code), 'is not an assigned ISO 3166-1 alpha-2 country code')
  .openapi({ example: 'DE' });

export const slugSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lower-case slug like "home-office"')
  .openapi({ example: 'keyboards' });

export const uuidParamsSchema = z.object({ id: uuidSchema });
export const productIdParamsSchema = z.object({ productId: uuidSchema });

// Query strings arrive as strings, and `?minPriceCents=` (present but empty) is what HTML forms and
// many clients send for "no filter", so a blank value counts as absent rather than as 0.
function blankAsAbsent(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

interface IntRange {
  min: number;
  max: number;
}

/** An optional integer query parameter; "abc", "1.5" and out-of-range values are rejected. */
export function optionalQueryInt({ min, max }: IntRange) {
  return z
    .preprocess(blankAsAbsent, z.coerce.number().int().min(min).max(max).optional())
    .openapi({ type: 'integer', minimum: min, maximum: max });
}

export function queryIntWithDefault({ min, max }: IntRange, fallback: number) {
  return z.preprocess(blankAsAbsent, z.coerce.number().int().min(min).max(max).default(fallback));
}

export function optionalQueryString(schema: z.ZodString) {
  const { type, minLength, maxLength, pattern } = z.toJSONSchema(schema);
  return z
    .preprocess(blankAsAbsent, schema.optional())
    .openapi({ type: type === 'string' ? 'string' : undefined, minLength, maxLength, pattern });
}

export function queryEnumWithDefault<const T extends readonly [string, ...string[]]>(
  values: T,
  fallback: T[number],
) {
  return z.preprocess(blankAsAbsent, z.enum(values).default(fallback));
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const paginationQuerySchema = z.object({
  page: queryIntWithDefault({ min: 1, max: 1_000_000 }, 1),
  pageSize: queryIntWithDefault({ min: 1, max: MAX_PAGE_SIZE }, DEFAULT_PAGE_SIZE),
});
export type PaginationQuery = z.infer<typeof paginationQuerySchema>;

/** `{ items, page, pageSize, total }`, the one shape of every list endpoint. */
export function paginated<T extends z.ZodType>(item: T, componentName: string) {
  return z
    .object({
      items: z.array(item),
      page: z.number().int().min(1),
      pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE),
      total: z.number().int().min(0),
    })
    .openapi(componentName);
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}
