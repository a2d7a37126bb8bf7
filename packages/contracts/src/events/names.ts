/** Imperatives one service asks another to carry out; only the order saga sends them. */
export const commandTypes = [
  'ReserveStock',
  'ReleaseStock',
  'CommitStock',
  'AuthorizePayment',
  'RefundPayment',
] as const;

/** Past-tense facts. */
export const eventTypes = [
  'ProductCreated',
  'ProductUpdated',
  'StockReserved',
  'StockReservationFailed',
  'StockReleased',
  'StockCommitted',
  'StockLevelChanged',
  'PaymentAuthorized',
  'PaymentDeclined',
  'PaymentRefunded',
  'OrderPlaced',
  'OrderConfirmed',
  'OrderCancelled',
  'UserRegistered',
] as const;

export type CommandType = (typeof commandTypes)[number];
export type DomainEventType = (typeof eventTypes)[number];
