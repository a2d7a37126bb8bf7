import { randomUUID } from 'node:crypto';

/** The envelope every Kafka message carries (API.md, "Kafka events"). */
export interface Envelope<TType extends string = string, TPayload = unknown> {
  id: string;
  type: TType;
  version: number;
  occurredAt: string;
  source: string;
  correlationId: string;
  causationId?: string;
  payload: TPayload;
}

export interface NewEnvelope<TType extends string, TPayload> {
  type: TType;
  source: string;
  correlationId: string;
  causationId?: string;
  payload: TPayload;
  version?: number;
}

export function createEnvelope<TType extends string, TPayload>(
  input: NewEnvelope<TType, TPayload>,
): Envelope<TType, TPayload> {
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
