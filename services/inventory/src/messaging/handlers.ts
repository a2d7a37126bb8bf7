import type { Message } from '@shop/contracts';
import type { Handlers } from '@shop/messaging';
import type { Logger } from '@shop/service-kit';
import { commitStock } from '../domain/commit-stock';
import { createStockForProduct, refreshProductSku } from '../domain/product-stock';
import { releaseStock } from '../domain/release-stock';
import { reserveStock } from '../domain/reserve-stock';
import type { Cause } from './emit';

export interface HandlerSettings {
  reservationTtlMs: number;
  logger: Logger;
}

/** The message types inventory acts on; any other type on its topics is skipped. */
export const handledTypes = [
  'ProductCreated',
  'ProductUpdated',
  'ReserveStock',
  'ReleaseStock',
  'CommitStock',
] as const;

export function inventoryHandlers({ reservationTtlMs, logger }: HandlerSettings) {
  return {
    ProductCreated: (message, tx) =>
      createStockForProduct(tx, message.payload, causedBy(message, message.correlationId)),
    ProductUpdated: (message, tx) => refreshProductSku(tx, message.payload),
    ReserveStock: async (message, tx) => {
      const cause = causedBy(message, message.payload.orderId);
      await reserveStock(tx, message.payload, { ttlMs: reservationTtlMs }, cause);
    },
    ReleaseStock: async (message, tx) => {
      const cause = causedBy(message, message.payload.orderId);
      await releaseStock(tx, message.payload, cause);
    },
    CommitStock: async (message, tx) => {
      const cause = causedBy(message, message.payload.orderId);
      const outcome = await commitStock(tx, message.payload, cause);
      if (outcome.type === 'Ignored') {
        logger.warn({ orderId: message.payload.orderId }, 'CommitStock for an unknown order');
      }
    },
  } satisfies Required<Pick<Handlers<Message>, (typeof handledTypes)[number]>>;
}

/** The cause its messages carry: the order id as correlation id for saga traffic, the message as cause. */
function causedBy(message: Message, correlationId: string): Cause {
  return { correlationId, causationId: message.id };
}
