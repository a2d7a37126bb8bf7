import type { Message } from '@shop/contracts';
import type { Handlers } from '@shop/messaging';
import {
  onOrderCancelled,
  onOrderConfirmed,
  onUserRegistered,
} from '../domain/record-notifications';

/** The message types notification acts on; OrderPlaced, also on order.events.v1, is skipped. */
export const handledTypes = ['UserRegistered', 'OrderConfirmed', 'OrderCancelled'] as const;

export function notificationHandlers() {
  return {
    UserRegistered: (message, tx) => onUserRegistered(tx, message),
    OrderConfirmed: (message, tx) => onOrderConfirmed(tx, message),
    OrderCancelled: (message, tx) => onOrderCancelled(tx, message),
  } satisfies Required<Pick<Handlers<Message>, (typeof handledTypes)[number]>>;
}
