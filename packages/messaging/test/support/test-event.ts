import { z } from 'zod';
import { createEnvelope, type Parse } from '../../src';

/** A test-only event, so these tests do not depend on the shop's real contracts. */
const counterIncremented = z
  .object({
    id: z.uuid(),
    type: z.literal('CounterIncremented'),
    version: z.number().int().positive(),
    occurredAt: z.iso.datetime(),
    source: z.string().min(1),
    correlationId: z.string().min(1),
    causationId: z.string().optional(),
    payload: z.object({ counterId: z.string().min(1) }).strict(),
  })
  .strict();

export type CounterIncremented = z.infer<typeof counterIncremented>;

export const parseTestEvent: Parse<CounterIncremented> = (_topic, value) => {
  const result = counterIncremented.safeParse(value);
  return result.success
    ? { success: true, data: result.data }
    : { success: false, error: { message: result.error.message } };
};

/** The envelope of one increment of a counter, correlated by the counter's id. */
export function counterEvent(counterId: string) {
  return createEnvelope({
    type: 'CounterIncremented',
    source: 'messaging-test',
    correlationId: counterId,
    payload: { counterId },
  });
}
