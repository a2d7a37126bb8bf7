import type { Message } from '@shop/contracts';
import type { Handlers } from '@shop/messaging';
import type { Tx } from '@shop/postgres';
import type { Logger } from '@shop/service-kit';
import { applySagaEvent, type SagaSettings } from '../domain/saga';
import type { StepLatency } from '../domain/step-latency';
import { replyTypes, type ReplyType, type SagaEvent } from '../domain/saga-machine';

/** The replies the saga acts on. */
export const handledTypes = replyTypes;

export interface HandlerSettings {
  settings: SagaSettings;
  logger: Logger;
  /** Each reply's time since its command was sent is recorded here, for the saga timer. */
  stepLatency?: StepLatency;
}

type Reply = Extract<Message, { type: ReplyType }>;

export function orderHandlers({ settings, logger, stepLatency }: HandlerSettings) {
  const handle = async (message: Reply, tx: Tx) => {
    const outcome = await applySagaEvent(
      tx,
      message.payload.orderId,
      sagaEventOf(message),
      { now: new Date(), settings, stepLatency, cause: { causationId: message.id } },
      { messageId: message.id, receivedAt: new Date(), causationId: message.causationId },
    );
    if (outcome.kind === 'ignored') {
      logger.info(
        { orderId: message.payload.orderId, type: message.type, why: outcome.why },
        'saga reply ignored',
      );
    }
  };
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
