import type { Message } from '@shop/contracts';
import type { Handlers, MessageContext } from '@shop/messaging';
import { contextFromHeaders, runWithContext } from '@shop/service-kit';
import {
  onOrderCancelled,
  onOrderConfirmed,
  onUserRegistered,
} from '../domain/record-notifications';

/** The message types notification acts on; OrderPlaced, also on order.events.v1, is skipped. */
export const handledTypes = ['UserRegistered', 'OrderConfirmed', 'OrderCancelled'] as const;

export function notificationHandlers() {
  return {
    UserRegistered: (message, tx, context) => traced(context, () => onUserRegistered(tx, message)),
    OrderConfirmed: (message, tx, context) => traced(context, () => onOrderConfirmed(tx, message)),
    OrderCancelled: (message, tx, context) => traced(context, () => onOrderCancelled(tx, message)),
  } satisfies Required<Pick<Handlers<Message>, (typeof handledTypes)[number]>>;
}

/** Runs the handler in the producer's trace, so its log lines carry the trace id. */
function traced(context: MessageContext, work: () => Promise<void>): Promise<void> {
  const requestContext = contextFromHeaders({
    requestId: context.headers['x-request-id'],
    traceparent: context.traceparent,
  });
  return runWithContext(requestContext, work);
}
