import type { Message } from '@shop/contracts';
import type { Handlers, MessageContext } from '@shop/messaging';
import type { Tx } from '@shop/postgres';
import {
  contextFromHeaders,
  outgoingHeaders,
  runWithContext,
  type Logger,
} from '@shop/service-kit';
import { applySagaEvent, type SagaSettings } from '../domain/saga';
import { replyTypes, type ReplyType, type SagaEvent } from '../domain/saga-machine';

/** The replies the saga acts on; StockLevelChanged shares the topic and is skipped. */
export const handledTypes = replyTypes;

export interface HandlerSettings {
  settings: SagaSettings;
  logger: Logger;
}

type Reply = Extract<Message, { type: ReplyType }>;

export function orderHandlers({ settings, logger }: HandlerSettings) {
  const handle = (message: Reply, tx: Tx, context: MessageContext) =>
    traced(context, async () => {
      const outcome = await applySagaEvent(
        tx,
        message.payload.orderId,
        sagaEventOf(message),
        { now: new Date(), settings, cause: { causationId: message.id, ...traceOf() } },
        { messageId: message.id, receivedAt: new Date() },
      );
      if (outcome.kind === 'ignored') {
        logger.info(
          { orderId: message.payload.orderId, type: message.type, why: outcome.why },
          'saga reply ignored',
        );
      }
    });
  return {
    StockReserved: handle,
    StockReservationFailed: handle,
    StockReleased: handle,
    StockCommitted: handle,
    PaymentAuthorized: handle,
    PaymentDeclined: handle,
    PaymentRefunded: handle,
  } satisfies Required<Pick<Handlers<Message>, ReplyType>>;
}

function sagaEventOf(message: Reply): SagaEvent {
  switch (message.type) {
    case 'StockReleased':
      return { type: message.type, reason: message.payload.reason };
    case 'PaymentDeclined':
      return { type: message.type, reason: message.payload.reason };
    default:
      return { type: message.type };
  }
}

function traceOf(): { traceparent?: string } {
  const { traceparent } = outgoingHeaders();
  return traceparent === undefined ? {} : { traceparent };
}

/** Runs the handler in the producer's trace, so its log lines and the commands it sends join it. */
function traced(context: MessageContext, work: () => Promise<void>): Promise<void> {
  const requestContext = contextFromHeaders({
    requestId: context.headers['x-request-id'],
    traceparent: context.traceparent,
  });
  return runWithContext(requestContext, work);
}
