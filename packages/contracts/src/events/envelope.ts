import { timestampSchema, uuidSchema } from '../common';
import { z } from '../zod';

// Consumers are tolerant readers: unknown envelope and payload fields are stripped, not rejected,
// so a producer may add an optional field within a major version without dead-lettering traffic.
const envelopeShape = {
  id: uuidSchema.openapi({ description: 'Unique per message; consumers de-duplicate on it' }),
  version: z.number().int().min(1),
  occurredAt: timestampSchema,
  source: z
    .string()
    .min(1)
    .max(64)
    .openapi({ description: 'The producing service', example: 'order' }),
  correlationId: z.string().min(1).max(255).openapi({
    description: 'The order id for saga traffic; otherwise the originating request id',
  }),
  causationId: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({ description: 'The id of the message (or request) that caused this one' }),
};

/** Any message: what can still be read from one whose type or payload is unknown or invalid. */
export const envelopeSchema = z.object({
  ...envelopeShape,
  type: z.string().min(1),
  payload: z.unknown(),
});

export function messageSchema<const T extends string, P extends z.ZodType>(type: T, payload: P) {
  return z.object({ ...envelopeShape, type: z.literal(type), payload });
}

export type Envelope = z.infer<typeof envelopeSchema>;
