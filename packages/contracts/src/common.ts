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
  .enum([...countryCodes] as [string, ...string[]], {
    error: 'must be an assigned ISO 3166-1 alpha-2 country code, like "DE"',
  })
  .openapi({ example: 'DE' });

// The address shapes a shop can mail to, stated as the pattern the document publishes (a bare
// `format: email` would promise RFC 5322's quoted and bracketed forms too). Lower-cased so that
// "Ann@Example.com" and "ann@example.com" are one account.
const emailPattern =
  /^[A-Za-z0-9_'+-]+(?:\.[A-Za-z0-9_'+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
/** One email rule everywhere an address travels: API bodies, tokens' users, UserRegistered. */
export const emailSchema = z
  .string()
  .max(254)
  .regex(emailPattern, 'must be an email address like ann@example.com')
  .toLowerCase()
  .openapi({ example: 'ann@example.com' });
export const slugSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lower-case slug like "home-office"')
  .openapi({ example: 'shoes' });

export const uuidParamsSchema = z.object({ id: uuidSchema });
export const productIdParamsSchema = z.object({ productId: uuidSchema });

/** A string's length as JSON Schema counts it (code points), not as JavaScript does (UTF-16 units). */
export function codePoints(value: string): number {
  return Array.from(value).length;
}

interface TextRules {
  /** 1: at least one character that is not ASCII white space. */
  min?: 0 | 1;
  max: number;
}

/**
 * Free text a client writes (a name, an address line, a search): PostgreSQL's `text` cannot hold
 * U+0000, so the document forbids it with a pattern instead of the database answering 500. Every
 * rule is one the document states as it is checked here: lengths in code points, "not blank" as
 * "has a character outside the six ASCII spaces" (JavaScript's and Python's `\s` disagree beyond
 * those, and a fuzzer's regex engine is Python's), and nothing is trimmed behind the client's back.
 */
export function textSchema({ min = 0, max }: TextRules) {
  // eslint-disable-next-line no-control-regex -- U+0000 is exactly what the pattern refuses.
  const pattern = min === 1 ? /^[^\u0000]*[^\u0000\t\n\v\f\r ][^\u0000]*$/ : /^[^\u0000]*$/;
  return z
    .string()
    .regex(pattern, min === 1 ? 'must not be blank or contain U+0000' : 'must not contain U+0000')
    .refine((value) => codePoints(value) <= max, `must be at most ${max} characters`)
    .openapi({ minLength: min, maxLength: max, pattern: pattern.source });
}

// Query strings arrive as strings. A parameter that is present is held to its declared type:
// `?page=` (blank) is a 400 like `?page=abc`, because a document cannot say "an integer, or
// nothing" for one parameter without every client generator getting it wrong. Leave a filter
// out to not filter.
const digits = /^[0-9]+$/;

interface IntRange {
  min: number;
  max: number;
}

function queryInt({ min, max }: IntRange) {
  return z
    .string()
    .regex(digits, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** An optional integer query parameter; "", "abc", "1.5" and out-of-range values are rejected. */
export function optionalQueryInt(range: IntRange) {
  return queryInt(range)
    .optional()
    .openapi({ type: 'integer', minimum: range.min, maximum: range.max });
}

export function queryIntWithDefault(range: IntRange, fallback: number) {
  return queryInt(range)
    .optional()
    .transform((value) => value ?? fallback)
    .openapi({ type: 'integer', minimum: range.min, maximum: range.max, default: fallback });
}

export function queryEnumWithDefault<const T extends readonly [string, ...string[]]>(
  values: T,
  fallback: T[number],
) {
  return z.enum(values).default(fallback);
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
