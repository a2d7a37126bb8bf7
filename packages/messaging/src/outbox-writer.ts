import {
  createMessage,
  partitionKeyOf,
  topicOf,
  type MessageOf,
  type MessageOrigin,
  type MessageType,
  type PayloadOf,
} from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import { outgoingHeaders } from '@shop/service-kit';
import { enqueueAll } from './outbox';

/** A message to send, its payload typed by its type. */
export type Outgoing<T extends MessageType = MessageType> = {
  [K in T]: { type: K; payload: PayloadOf<K> };
}[T];

/** Why a message is sent: carried in its envelope so the saga and the logs can follow it. */
export type Cause = Omit<MessageOrigin, 'source'>;

export interface OutboxWriter {
  /** Writes the message in the caller's transaction: published if and only if it commits. */
  emit: <T extends Outgoing>(tx: Tx, outgoing: T, cause: Cause) => Promise<MessageOf<T['type']>>;
  /** Writes several messages, in this order, in one statement: published if and only if it commits. */
  emitAll: <T extends Outgoing>(
    tx: Tx,
    outgoing: readonly T[],
    cause: Cause,
  ) => Promise<MessageOf<T['type']>[]>;
  /** Emits a reply and hands it back, for a handler to return. */
  announce: <T extends Outgoing>(tx: Tx, reply: T, cause: Cause) => Promise<T>;
}

/**
 * How a service writes its messages: each made and validated by the contracts, from `source`, on
 * its type's topic, keyed by its aggregate so one aggregate's messages stay in order, and with
 * the current request's trace in its headers (a consumed message's, as the consumer restores it),
 * so whoever consumes it continues that trace.
 */
export function outboxWriter(source: string): OutboxWriter {
  async function emitAll<T extends Outgoing>(
    tx: Tx,
    outgoing: readonly T[],
    cause: Cause,
  ): Promise<MessageOf<T['type']>[]> {
    const headers = traceHeaders();
    const messages = outgoing.map(({ type, payload }) =>
      createMessage<T['type']>(type, payload, { source, ...cause }),
    );
    await enqueueAll(
      tx,
      messages.map((message) => ({
        topic: topicOf(message.type),
        key: partitionKeyOf(message),
        envelope: message,
        headers,
      })),
    );
    return messages;
  }
  async function emit<T extends Outgoing>(
    tx: Tx,
    outgoing: T,
    cause: Cause,
  ): Promise<MessageOf<T['type']>> {
    const [message] = await emitAll(tx, [outgoing], cause);
    return message!;
  }
  return {
    emit,
    emitAll,
    announce: async (tx, reply, cause) => {
      await emit(tx, reply, cause);
      return reply;
    },
  };
}

function traceHeaders(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outgoingHeaders()).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}
