import type { MessageType, PayloadOf } from '@shop/contracts';

const orderId = '3f1c2b9e-8d4a-4e7b-9c1d-0a2b3c4d5e6f';
const customerId = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const productId = '9d2e1f3a-4b5c-4d6e-8f7a-1b2c3d4e5f6a';
const paymentId = '1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6';

const product = {
  productId,
  sku: 'KB-MECH-001',
  name: 'Mechanical keyboard',
  description: 'Tenkeyless, brown switches',
  category: 'keyboards',
  priceCents: 8999,
  currency: 'EUR',
  imageUrl: null,
};
const items = [
  { productId, sku: 'KB-MECH-001', name: 'Mechanical keyboard', unitPriceCents: 8999, quantity: 2 },
];

/** One valid payload per message type; the aggregate id each should be partitioned by. */
export const validPayloads: { [T in MessageType]: PayloadOf<T> } = {
  ProductCreated: { ...product, initialStock: 120 },
  ProductUpdated: product,
  ReserveStock: { orderId, lines: [{ productId, quantity: 2 }] },
  ReleaseStock: { orderId, reason: 'PAYMENT_DECLINED' },
  CommitStock: { orderId },
  StockReserved: { orderId, lines: [{ productId, quantity: 2 }] },
  StockReservationFailed: {
    orderId,
    reason: 'OUT_OF_STOCK',
    shortages: [{ productId, requested: 2, available: 1 }],
  },
  StockReleased: { orderId, reason: 'EXPIRED' },
  StockCommitted: { orderId },
  StockLevelChanged: {
    productId,
    sku: 'KB-MECH-001',
    onHand: 120,
    reserved: 2,
    available: 118,
    sequence: 7,
  },
  AuthorizePayment: {
    orderId,
    customerId,
    amountCents: 17998,
    currency: 'EUR',
    paymentToken: 'tok_visa',
  },
  RefundPayment: { orderId, amountCents: 17998, currency: 'EUR', reason: 'CUSTOMER_CANCELLED' },
  PaymentAuthorized: { orderId, paymentId, amountCents: 17998, currency: 'EUR' },
  PaymentDeclined: { orderId, reason: 'INSUFFICIENT_FUNDS' },
  PaymentRefunded: {
    orderId,
    paymentId,
    refundId: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e',
    amountCents: 17998,
    currency: 'EUR',
  },
  OrderPlaced: { orderId, customerId, items, totalCents: 17998, currency: 'EUR' },
  OrderConfirmed: { orderId, customerId, items, totalCents: 17998, currency: 'EUR' },
  OrderCancelled: {
    orderId,
    customerId,
    reason: 'OUT_OF_STOCK',
    totalCents: 17998,
    currency: 'EUR',
  },
  UserRegistered: { userId: customerId, email: 'ann@example.com', name: 'Ann Example' },
};

export const ids = { orderId, customerId, productId };

export function envelope<T extends MessageType>(type: T, payload: unknown = validPayloads[type]) {
  return {
    id: 'c0ffee00-1234-4abc-8def-0123456789ab',
    type,
    version: 1,
    occurredAt: '2025-01-31T12:00:00.000Z',
    source: 'test',
    correlationId: orderId,
    payload,
  };
}
