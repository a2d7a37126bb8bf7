import type { Message } from '@shop/contracts';
import type { Handlers } from '@shop/messaging';
import type { Logger } from '@shop/service-kit';
import { authorizePayment, type AuthorizationDeps } from '../domain/authorize-payment';
import { refundPayment } from '../domain/refund-payment';
import type { Cause } from './emit';
import type { PaymentUnit } from './record-after';

/** The message types payment acts on. */
export const handledTypes = ['AuthorizePayment', 'RefundPayment'] as const;

export type HandlerDeps = AuthorizationDeps & { logger: Logger };

export function paymentHandlers(deps: HandlerDeps) {
  return {
    AuthorizePayment: async (message, unit) => {
      const cause = causedBy(message, message.payload.orderId);
      await authorizePayment(unit, message.payload, deps, cause);
    },
    RefundPayment: async (message, unit) => {
      const cause = causedBy(message, message.payload.orderId);
      await unit.record((tx) => refundPayment(tx, message.payload, deps.logger, cause));
    },
  } satisfies Required<Pick<Handlers<Message, PaymentUnit>, (typeof handledTypes)[number]>>;
}

/** The cause its messages carry: the order id as correlation id for saga traffic, the message as cause. */
function causedBy(message: Message, correlationId: string): Cause {
  return { correlationId, causationId: message.id };
}
