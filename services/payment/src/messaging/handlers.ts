import type { Message } from '@shop/contracts';
import type { Handlers, MessageContext } from '@shop/messaging';
import {
  contextFromHeaders,
  outgoingHeaders,
  runWithContext,
  type Logger,
} from '@shop/service-kit';
import { authorizePayment, type AuthorizationDeps } from '../domain/authorize-payment';
import { refundPayment } from '../domain/refund-payment';
import type { Cause } from './emit';
import type { PaymentUnit } from './record-after';

/** The message types payment acts on. */
export const handledTypes = ['AuthorizePayment', 'RefundPayment'] as const;

export type HandlerDeps = AuthorizationDeps & { logger: Logger };

export function paymentHandlers(deps: HandlerDeps) {
  return {
    AuthorizePayment: (message, unit, context) =>
      traced(message, context, message.payload.orderId, async (cause) => {
        await authorizePayment(unit, message.payload, deps, cause);
      }),
    RefundPayment: (message, unit, context) =>
      traced(message, context, message.payload.orderId, async (cause) => {
        await unit.record((tx) => refundPayment(tx, message.payload, deps.logger, cause));
      }),
  } satisfies Required<Pick<Handlers<Message, PaymentUnit>, (typeof handledTypes)[number]>>;
}

/**
 * Runs the handler in the producer's trace (its log lines carry the trace id) and hands it the
 * cause its events carry: the order id as correlation id, the command as cause.
 */
function traced(
  message: Message,
  context: MessageContext,
  orderId: string,
  work: (cause: Cause) => Promise<void>,
): Promise<void> {
  const requestContext = contextFromHeaders({
    requestId: context.headers['x-request-id'],
    traceparent: context.traceparent,
  });
  return runWithContext(requestContext, () => {
    const { traceparent } = outgoingHeaders();
    return work({
      correlationId: orderId,
      causationId: message.id,
      ...(traceparent === undefined ? {} : { traceparent }),
    });
  });
}
