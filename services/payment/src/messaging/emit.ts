import {
  createMessage,
  partitionKeyOf,
  topicOf,
  type MessageType,
  type PayloadOf,
} from '@shop/contracts';
import { enqueue } from '@shop/messaging';
import type { Tx } from '@shop/postgres';

export const source = 'payment';

/** Why an event is emitted: carried into its envelope so the saga and the traces can follow it. */
export interface Cause {
  /** The order id: all of payment's traffic is saga traffic. */
  correlationId: string;
  /** The id of the command that caused it. */
  causationId: string;
  traceparent?: string;
}

/** A message to send, its payload typed by its type. */
export type Outgoing<T extends MessageType = MessageType> = {
  [K in T]: { type: K; payload: PayloadOf<K> };
}[T];

/** Through the outbox only: published if and only if the caller's transaction commits. */
export async function announce<T extends Outgoing>(tx: Tx, reply: T, cause: Cause): Promise<T> {
  const message = createMessage(reply.type, reply.payload, {
    source,
    correlationId: cause.correlationId,
    causationId: cause.causationId,
  });
  await enqueue(tx, {
    topic: topicOf(reply.type),
    key: partitionKeyOf(message),
    envelope: message,
    ...(cause.traceparent === undefined ? {} : { headers: { traceparent: cause.traceparent } }),
  });
  return reply;
}
