import { paginationQuerySchema, uuidParamsSchema } from '../../common';
import {
  IDEMPOTENCY_KEY_HEADER,
  idempotencyKeySchema,
  orderEventSchema,
  orderPageSchema,
  orderSchema,
  placeOrderBodySchema,
  sagaTimelineSchema,
  slowestSagasQuerySchema,
  slowestSagasSchema,
} from '../../orders';
import { z } from '../../zod';
import type { ApiRoute } from '../route';

const tag = 'Orders';

export const ordersRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/orders',
    auth: 'user',
    operationId: 'placeOrder',
    summary: 'Place the current cart as an order',
    description:
      'Starts the order saga and answers before it ends: poll the order (status PENDING → ' +
      'STOCK_RESERVED → CONFIRMED, or CANCELLED with a failureReason). Prices come from the ' +
      'catalog, never from the client. Repeating a request with the same Idempotency-Key and body ' +
      'replays the first answer with `Idempotent-Replayed: true`.',
    tag,
    headers: z.object({ [IDEMPOTENCY_KEY_HEADER]: idempotencyKeySchema }),
    body: placeOrderBodySchema,
    success: {
      status: 202,
      description: 'The order, accepted and in progress',
      schema: orderSchema,
      headers: ['Location', 'Idempotent-Replayed'],
      links: {
        getOrder: {
          operationId: 'getOrder',
          description: 'Follow the order',
          parameters: { id: '$response.body#/id' },
        },
        getOrderSaga: {
          operationId: 'getOrderSaga',
          description: 'Its saga’s timeline',
          parameters: { id: '$response.body#/id' },
        },
        cancelOrder: {
          operationId: 'cancelOrder',
          description: 'Cancel it once confirmed',
          parameters: { id: '$response.body#/id' },
        },
      },
    },
    problems: {
      503:
        'Checkout is full (admission control), or an upstream is down: nothing was written. ' +
        'Retry after `Retry-After` seconds; with the same Idempotency-Key a retry is always safe ' +
        '(it places the order once, or replays the answer the first attempt got).',
      422:
        'The cart is empty, a product in it is no longer sold, the order would bring the ' +
        'caller’s units of one product in open orders past the cap (`errors` names the line), ' +
        'or the Idempotency-Key was used with a different body',
    },
  },
  {
    method: 'GET',
    path: '/api/orders',
    auth: 'user',
    operationId: 'listOrders',
    summary: 'The caller’s orders, newest first',
    tag,
    query: paginationQuerySchema,
    success: { status: 200, description: 'A page of orders', schema: orderPageSchema },
  },
  {
    method: 'GET',
    path: '/api/orders/:id',
    auth: 'user',
    operationId: 'getOrder',
    summary: 'One of the caller’s orders',
    tag,
    params: uuidParamsSchema,
    success: { status: 200, description: 'The order', schema: orderSchema },
    problems: { 404: 'No such order among the caller’s' },
  },
  {
    method: 'GET',
    path: '/api/orders/:id/saga',
    auth: 'user',
    operationId: 'getOrderSaga',
    summary: 'The order saga’s timeline (for its owner or an admin)',
    tag,
    params: uuidParamsSchema,
    success: { status: 200, description: 'Each step and compensation', schema: sagaTimelineSchema },
    problems: { 404: 'No such order among the caller’s' },
  },
  {
    method: 'GET',
    path: '/api/orders/:id/events',
    auth: 'user',
    operationId: 'followOrder',
    summary: 'Follow the order and its saga live (server-sent events)',
    description:
      'A `text/event-stream`: `event: order` with an OrderSnapshot `{order, saga}` as `data` when ' +
      'the stream opens and after every change of the order or its saga, then `event: end` once ' +
      'both have settled, and the stream closes. Comment lines keep it alive every few seconds. ' +
      'For the order’s owner, or an admin.',
    tag,
    params: uuidParamsSchema,
    success: {
      status: 200,
      description: 'The stream of OrderSnapshot events',
      schema: orderEventSchema,
      contentType: 'text/event-stream',
    },
    problems: { 404: 'No such order among the caller’s' },
  },
  {
    method: 'GET',
    path: '/api/orders/sagas/slowest',
    auth: 'admin',
    operationId: 'getSlowestSagas',
    summary: 'The slowest sagas that ended recently (operations console)',
    tag,
    query: slowestSagasQuerySchema,
    success: {
      status: 200,
      description: 'Ended sagas, slowest first',
      schema: slowestSagasSchema,
    },
  },
  {
    method: 'POST',
    path: '/api/orders/:id/cancel',
    auth: 'user',
    operationId: 'cancelOrder',
    summary: 'Cancel a confirmed order: refund and restock, then CANCELLED',
    tag,
    params: uuidParamsSchema,
    success: {
      status: 202,
      description: 'The order, its compensation under way',
      schema: orderSchema,
    },
    problems: {
      404: 'No such order among the caller’s',
      409: 'The order is not CONFIRMED (still in progress, already cancelled or shipped)',
    },
  },
];
