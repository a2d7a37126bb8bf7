import type { Message, MessageOf, MessageType } from '@shop/contracts';
import type { Collector } from './environment';

export type EmittedEvents = <T extends MessageType>(type: T, id: string) => Promise<MessageOf<T>[]>;

/** The messages of one type about one order or product, in arrival order. */
export function emittedBy(collector: Collector): EmittedEvents {
  return <T extends MessageType>(type: T, id: string) =>
    Promise.resolve(
      collector.envelopes().filter((message: Message): message is MessageOf<T> => {
        if (message.type !== type) return false;
        const payload = message.payload as { orderId?: string; productId?: string };
        return payload.orderId === id || payload.productId === id;
      }),
    );
}
