import type { Admission } from './admission';
import { randomUUID } from 'node:crypto';
import type { Order, PlaceOrderBody } from '@shop/contracts';
import { withTransaction, type Pool, type Tx } from '@shop/postgres';
import { AppError } from '@shop/service-kit';
import {
  claimIdempotencyKey,
  findIdempotencyRecord,
  type IdempotencyRecord,
} from '../data/idempotency-keys';
import { insertOrder, type OrderRecord } from '../data/orders';
import { emit, type Cause } from '../messaging/emit';
import { assertWithinOpenUnitsCap } from './open-units-cap';
import { toOrderView } from './order-view';
import { priceCart, type PricingClients } from './price-cart';
import { hashRequest } from './request-hash';
import { beginSaga, type SagaSettings } from './saga';

export interface PlaceOrderDeps extends PricingClients {
  pool: Pool;
  settings: SagaSettings;
  /** Units of one product a customer may hold in open orders (see open-units-cap.ts). */
  maxOpenUnitsPerProduct: number;
  /** New checkouts past the saga pipeline's limit are refused, before any call or write. */
  admission?: Pick<Admission, 'admit'>;
  now?: () => Date;
}

export interface PlaceOrderRequest {
  customerId: string;
  /** Forwarded to the cart, which reads the caller's own cart. */
  authorization: string;
  idempotencyKey: string;
  body: PlaceOrderBody;
  cause: Omit<Cause, 'correlationId'>;
}

export interface PlaceOrderResult {
  order: Order;
  /** True when an earlier request with the same key and body placed it. */
  replayed: boolean;
}

/**
 * Places the caller's cart as a PENDING order and starts its saga. The order, its items and
 * history, the idempotency record, the saga and the outbox rows (ReserveStock, OrderPlaced) are
 * one transaction: either all of them exist or none.
 *
 * The same key from the same customer places at most one order. A replay is answered before the
 * cart is read (the cart may be empty by then); two requests racing past that check meet at the
 * key's unique index, where the loser waits for the winner and answers with its record.
 *
 * Admission control comes after the replay check: an order already placed is always answered,
 * also while new checkouts are refused (503), so a client's retry is never turned away for a
 * checkout that already happened.
 *
 * The open-units cap is checked after the key is claimed: a replay racing its original is
 * answered with the original's 202, never refused for the units that original added. A refusal
 * rolls back the claim with the rest, so the key stays free for a retry.
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  request: PlaceOrderRequest,
): Promise<PlaceOrderResult> {
  const { pool } = deps;
  const { customerId, idempotencyKey } = request;
  const requestHash = hashRequest(request.body);
  const earlier = await findIdempotencyRecord(pool, customerId, idempotencyKey);
  if (earlier) return replay(earlier, requestHash);

  const ended = deps.admission?.admit(`${customerId} ${idempotencyKey}`);
  try {
    return await placeNew(deps, request, requestHash);
  } finally {
    ended?.();
  }
}

async function placeNew(
  deps: PlaceOrderDeps,
  request: PlaceOrderRequest,
  requestHash: string,
): Promise<PlaceOrderResult> {
  const { pool, settings } = deps;
  const { customerId, idempotencyKey } = request;
  const priced = await priceCart(deps, request.authorization);
  const now = deps.now?.() ?? new Date();
  const order: OrderRecord = {
    id: randomUUID(),
    customerId,
    status: 'PENDING',
    ...priced,
    shippingAddress: request.body.shippingAddress,
    paymentToken: request.body.paymentToken,
    createdAt: now,
    updatedAt: now,
    history: [{ status: 'PENDING', at: now }],
  };
  const view = toOrderView(order);

  return withTransaction(pool, async (tx) => {
    const claimed = await claimIdempotencyKey(tx, {
      customerId,
      key: idempotencyKey,
      requestHash,
      orderId: order.id,
      responseStatus: 202,
      responseBody: view,
      createdAt: now,
    });
    if (!claimed) return replay(await winnerOf(tx, customerId, idempotencyKey), requestHash);
    await assertWithinOpenUnitsCap(tx, customerId, order.items, deps.maxOpenUnitsPerProduct);
    await insertOrder(tx, order);
    const cause = { ...request.cause, correlationId: order.id };
    await emit(
      tx,
      {
        type: 'OrderPlaced',
        payload: {
          orderId: order.id,
          customerId,
          items: order.items,
          totalCents: order.totalCents,
          currency: order.currency,
        },
      },
      cause,
    );
    await beginSaga(tx, order, { now, settings, cause: request.cause });
    return { order: view, replayed: false };
  });
}

function replay(record: IdempotencyRecord, requestHash: string): PlaceOrderResult {
  if (record.requestHash !== requestHash) {
    throw new AppError(
      'UNPROCESSABLE',
      'this Idempotency-Key was already used with a different request body',
    );
  }
  return { order: record.responseBody as Order, replayed: true };
}

async function winnerOf(tx: Tx, customerId: string, key: string): Promise<IdempotencyRecord> {
  const record = await findIdempotencyRecord(tx, customerId, key);
  // The key was taken by a transaction that then committed, so its row is visible now.
  if (!record) throw new AppError('CONFLICT', 'a request with this Idempotency-Key is in progress');
  return record;
}
