import type { MessageOf } from '@shop/contracts';
import type { Tx } from '@shop/postgres';
import { insertPendingNotification, signalPending } from '../data/notifications';
import { upsertUser } from '../data/users';

/**
 * The consumer's whole job: record what to send, in its inbox transaction, and wake the sender.
 * It never talks to SMTP, so a slow or dead mail server never holds a Kafka offset.
 *
 * An order event may arrive before its customer's UserRegistered (two topics, no order between
 * them). It is recorded all the same; the sender only picks notifications whose recipient is in
 * the directory, so it waits, PENDING, and goes out as soon as the user is registered.
 */

export async function onUserRegistered(tx: Tx, message: MessageOf<'UserRegistered'>) {
  const { userId, email, name } = message.payload;
  await upsertUser(tx, { userId, email, name });
  const recorded = await insertPendingNotification(tx, {
    eventId: message.id,
    userId,
    details: { kind: 'WELCOME', payload: message.payload },
  });
  // A new notification has woken the sender; a duplicate must too, since order notifications
  // may have been waiting for this user.
  if (!recorded) await signalPending(tx);
}

export async function onOrderConfirmed(tx: Tx, message: MessageOf<'OrderConfirmed'>) {
  await insertPendingNotification(tx, {
    eventId: message.id,
    userId: message.payload.customerId,
    orderId: message.payload.orderId,
    details: { kind: 'ORDER_CONFIRMED', payload: message.payload },
  });
}

export async function onOrderCancelled(tx: Tx, message: MessageOf<'OrderCancelled'>) {
  await insertPendingNotification(tx, {
    eventId: message.id,
    userId: message.payload.customerId,
    orderId: message.payload.orderId,
    details: { kind: 'ORDER_CANCELLED', payload: message.payload },
  });
}
