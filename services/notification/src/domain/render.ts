import type { OrderFailureReason, PayloadOf } from '@shop/contracts';

export interface Recipient {
  email: string;
  name: string;
}

/** What a notification was made from: the source event's payload, stored with the row. */
export type NotificationDetails =
  | { kind: 'WELCOME'; payload: PayloadOf<'UserRegistered'> }
  | { kind: 'ORDER_CONFIRMED'; payload: PayloadOf<'OrderConfirmed'> }
  | { kind: 'ORDER_CANCELLED'; payload: PayloadOf<'OrderCancelled'> };

export interface RenderedMessage {
  subject: string;
  body: string;
}

const cancellationReasons: Record<OrderFailureReason, string> = {
  OUT_OF_STOCK: 'some of the items were no longer in stock.',
  PAYMENT_DECLINED: 'the payment was declined by your card issuer.',
  INSUFFICIENT_FUNDS: 'the card had insufficient funds.',
  PAYMENT_UNAVAILABLE: 'we could not reach the payment processor. You have not been charged.',
  TIMEOUT: 'it could not be completed in time. You have not been charged.',
  CUSTOMER_CANCELLED: 'you cancelled it. Any payment has been refunded.',
};

export function describeCancellationReason(reason: OrderFailureReason): string {
  return cancellationReasons[reason];
}

/** Minor units in the currency's own precision: 12345 USD is $123.45, 12345 JPY is ¥12,345. */
export function formatMoney(amountCents: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountCents / 10 ** digits);
}

function shortOrderId(orderId: string): string {
  return orderId.slice(0, 8).toUpperCase();
}

export function renderNotification(
  details: NotificationDetails,
  recipient: Recipient,
): RenderedMessage {
  const greeting = `Hello ${recipient.name},`;
  switch (details.kind) {
    case 'WELCOME':
      return {
        subject: 'Welcome to shop',
        body: [
          greeting,
          '',
          `your account ${recipient.email} is ready. Happy shopping!`,
          '',
          'The shop team',
        ].join('\n'),
      };
    case 'ORDER_CONFIRMED': {
      const { orderId, items, totalCents, currency } = details.payload;
      const lines = items.map(
        (item) =>
          `  ${item.quantity} x ${item.name} (${item.sku})  ${formatMoney(item.unitPriceCents * item.quantity, currency)}`,
      );
      return {
        subject: `Your order ${shortOrderId(orderId)} is confirmed`,
        body: [
          greeting,
          '',
          `thank you for your order ${orderId}. It is confirmed and will be shipped soon.`,
          '',
          ...lines,
          '',
          `Total: ${formatMoney(totalCents, currency)}`,
          '',
          'The shop team',
        ].join('\n'),
      };
    }
    case 'ORDER_CANCELLED': {
      const { orderId, reason, totalCents, currency } = details.payload;
      return {
        subject: `Your order ${shortOrderId(orderId)} was cancelled`,
        body: [
          greeting,
          '',
          `your order ${orderId} (${formatMoney(totalCents, currency)}) was cancelled because ${describeCancellationReason(reason)}`,
          '',
          'The shop team',
        ].join('\n'),
      };
    }
  }
}
