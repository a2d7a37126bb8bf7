import type { Message } from '@shop/contracts';
import type { Handlers, MessageContext } from '@shop/messaging';
import {
  contextFromHeaders,
  outgoingHeaders,
  runWithContext,
  type Logger,
} from '@shop/service-kit';
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
    ProductCreated: (message, tx, context) =>
      traced(message, context, message.correlationId, (cause) =>
        createStockForProduct(tx, message.payload, cause),
      ),
    ProductUpdated: (message, tx) => refreshProductSku(tx, message.payload),
    ReserveStock: (message, tx, context) =>
      traced(message, context, message.payload.orderId, async (cause) => {
        await reserveStock(tx, message.payload, { ttlMs: reservationTtlMs }, cause);
      }),
    ReleaseStock: (message, tx, context) =>
      traced(message, context, message.payload.orderId, async (cause) => {
        await releaseStock(tx, message.payload, cause);
      }),
    CommitStock: (message, tx, context) =>
      traced(message, context, message.payload.orderId, async (cause) => {
        const outcome = await commitStock(tx, message.payload, cause);
        if (outcome.type === 'Ignored') {
          logger.warn({ orderId: message.payload.orderId }, 'CommitStock for an unknown order');
        }
      }),
  } satisfies Required<Pick<Handlers<Message>, (typeof handledTypes)[number]>>;
}

/**
 * Runs the handler in the producer's trace (its log lines carry the trace id) and hands it the
 * cause its events carry: the order id as correlation id for saga traffic, the message as cause.
 */
function traced(
  message: Message,
  context: MessageContext,
  correlationId: string,
  work: (cause: Cause) => Promise<void>,
): Promise<void> {
  const requestContext = contextFromHeaders({
    requestId: context.headers['x-request-id'],
    traceparent: context.traceparent,
  });
  return runWithContext(requestContext, () =>
    work({ correlationId, causationId: message.id, traceparent: outgoingHeaders().traceparent }),
  );
}
