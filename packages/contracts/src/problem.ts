import { z } from './zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const fieldErrorSchema = z
  .object({
    path: z.string().openapi({ example: 'shippingAddress.country' }),
    message: z.string(),
  })
  .openapi('FieldError');

/** RFC 9457 problem details, the body of every error response. */
export const problemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://shop.example/problems/validation' }),
    title: z.string().openapi({ example: 'Bad Request' }),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    instance: z.string().openapi({ example: '/api/orders' }),
    requestId: z.string(),
    errors: z.array(fieldErrorSchema).optional(),
    retryAfterMs: z.number().int().nonnegative().optional().openapi({
      description: 'With 429/503: the wait before retrying, in ms (Retry-After has it in seconds).',
    }),
  })
  .openapi('Problem');

export type FieldError = z.infer<typeof fieldErrorSchema>;
export type Problem = z.infer<typeof problemSchema>;
