import type {
  OrderFailureReason,
  OrderStatus,
  SagaCompensationName,
  SagaStepName,
  SagaStepStatus,
} from '@shop/contracts';

export const failureReasonWords: Record<OrderFailureReason, string> = {
  OUT_OF_STOCK: 'Out of stock',
  PAYMENT_DECLINED: 'Payment declined',
  INSUFFICIENT_FUNDS: 'Insufficient funds',
  PAYMENT_UNAVAILABLE: 'Payment unavailable',
  TIMEOUT: 'Timed out',
  CUSTOMER_CANCELLED: 'Cancelled by you',
};

export const orderStatusWords: Record<OrderStatus, string> = {
  PENDING: 'Pending',
  STOCK_RESERVED: 'Stock reserved',
  CONFIRMED: 'Confirmed',
  CANCELLED: 'Cancelled',
};

export const stepWords: Record<SagaStepName | SagaCompensationName, string> = {
  RESERVE_STOCK: 'Reserve stock',
  AUTHORIZE_PAYMENT: 'Authorize payment',
  COMMIT_STOCK: 'Commit stock',
  RELEASE_STOCK: 'Release stock',
  REFUND_PAYMENT: 'Refund payment',
};

export const stepStatusWords: Record<SagaStepStatus, string> = {
  PENDING: 'Not started',
  AWAITING_REPLY: 'Waiting for reply',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  TIMED_OUT: 'Timed out',
  SKIPPED: 'Skipped',
};

export function orderStatusTone(status: OrderStatus): 'ok' | 'warn' | 'error' | 'info' {
  if (status === 'CONFIRMED') return 'ok';
  if (status === 'CANCELLED') return 'error';
  return 'info';
}

export function stepStatusTone(status: SagaStepStatus): 'ok' | 'warn' | 'error' | 'info' | 'none' {
  if (status === 'SUCCEEDED') return 'ok';
  if (status === 'FAILED' || status === 'TIMED_OUT') return 'error';
  if (status === 'AWAITING_REPLY') return 'info';
  return 'none';
}

/** "Out of stock"; an unknown reason (a newer server) is shown as it came. */
export function failureReasonInWords(reason: string): string {
  return (failureReasonWords as Record<string, string | undefined>)[reason] ?? reason;
}

/** The short id a person can read out: the first 8 hex digits. */
export function shortOrderId(id: string): string {
  return id.slice(0, 8);
}
