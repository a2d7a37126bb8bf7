import {
  createMessage,
  partitionKeyOf,
  topicOf,
  type MessageType,
  type PayloadOf,
} from '@shop/contracts';
import { enqueue } from '@shop/messaging';
import type { Tx } from '@shop/postgres';

export const source = 'order';

/** Why a message is sent: carried into its envelope so inventory, payment and traces follow it. */
export interface Cause {
  /** The order id: saga traffic is correlated by order. */
  correlationId: string;
  /** The reply, request or earlier command that caused it. */
  causationId?: string;
  traceparent?: string;
}

/** A message to send, its payload typed by its type. */
export type Outgoing<T extends MessageType = MessageType> = {
  [K in T]: { type: K; payload: PayloadOf<K> };
}[T];

/** Through the outbox only: published if and only if the caller's transaction commits. */
export async function emit(tx: Tx, { type, payload }: Outgoing, cause: Cause): Promise<string> {
  const message = createMessage(type, payload, {
    source,
    correlationId: cause.correlationId,
    ...(cause.causationId === undefined ? {} : { causationId: cause.causationId }),
  });
  await enqueue(tx, {
    topic: topicOf(type),
    key: partitionKeyOf(message),
    envelope: message,
    ...(cause.traceparent === undefined ? {} : { headers: { traceparent: cause.traceparent } }),
  });
  return message.id;
}
