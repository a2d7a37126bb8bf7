import { randomUUID } from 'node:crypto';
import type { Envelope } from '@shop/contracts';

/** The contracts' envelope (API.md, "Kafka events"), typed by its type and payload. */
export type TypedEnvelope<TType extends string, TPayload> = Envelope & {
  type: TType;
  payload: TPayload;
};

export interface NewEnvelope<TType extends string, TPayload> {
  type: TType;
  source: string;
  correlationId: string;
  causationId?: string;
  payload: TPayload;
  version?: number;
}

/**
 * An envelope around any payload, for messages outside the contracts' registry (tests, tools);
 * the shop's own messages are made by the contracts' `createMessage`, which also validates them.
 */
export function createEnvelope<TType extends string, TPayload>(
  input: NewEnvelope<TType, TPayload>,
): TypedEnvelope<TType, TPayload> {
  return {
    id: randomUUID(),
    type: input.type,
    version: input.version ?? 1,
    occurredAt: new Date().toISOString(),
    source: input.source,
    correlationId: input.correlationId,
    ...(input.causationId === undefined ? {} : { causationId: input.causationId }),
    payload: input.payload,
  };
}
