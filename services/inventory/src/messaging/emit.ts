import {
  createMessage,
  partitionKeyOf,
  topicOf,
  type MessageType,
  type PayloadOf,
} from '@shop/contracts';
import { enqueue } from '@shop/messaging';
import type { Tx } from '@shop/postgres';
import type { StockItem } from '../data/stock-items';
import { levelsOf } from '../domain/levels';

export const source = 'inventory';

/** Why an event is emitted: carried into its envelope so the saga and the traces can follow it. */
export interface Cause {
  /** The order id for saga traffic; otherwise the request or message that started it. */
  correlationId: string;
  /** The id of the command, event or request that caused it. */
  causationId?: string;
  traceparent?: string;
}

/** A message to send, its payload typed by its type. */
export type Outgoing<T extends MessageType = MessageType> = {
  [K in T]: { type: K; payload: PayloadOf<K> };
}[T];

/** Through the outbox only: published if and only if the caller's transaction commits. */
export async function emit(tx: Tx, { type, payload }: Outgoing, cause: Cause): Promise<void> {
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
}

/** Emits a reply and hands it back, for the caller to return. */
export async function announce<T extends Outgoing>(tx: Tx, reply: T, cause: Cause): Promise<T> {
  await emit(tx, reply, cause);
  return reply;
}

export async function emitLevelsChanged(tx: Tx, items: StockItem[], cause: Cause): Promise<void> {
  for (const item of items) {
    await emit(
      tx,
      { type: 'StockLevelChanged', payload: { ...levelsOf(item), sequence: item.sequence } },
      cause,
    );
  }
}
