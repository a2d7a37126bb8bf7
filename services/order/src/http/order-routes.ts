import { requireAuth, requireRole, type JwtVerifier } from '@shop/auth';
import {
  type CheckoutAdmission,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  paginationQuerySchema,
  placeOrderBodySchema,
  placeOrderHeadersSchema,
  slowestSagasQuerySchema,
  uuidParamsSchema,
} from '@shop/contracts';
import {
  AppError,
  currentContext,
  fieldErrors,
  parseBody,
  parseParams,
  parseQuery,
  type Logger,
} from '@shop/service-kit';
import { Router, type Request } from 'express';
import { cancelOrder, type CancelOrderDeps } from '../domain/cancel-order';
import {
  getOrder,
  getOrderSnapshot,
  getSagaTimeline,
  listOrders,
  reconciliationSummary,
  slowestSagas,
} from '../domain/order-queries';
import { placeOrder, type PlaceOrderDeps } from '../domain/place-order';
import type { OrderChanges } from '../data/order-changes';
import { streamOrderEvents } from './order-event-stream';

export interface OrderRoutesDeps extends PlaceOrderDeps, CancelOrderDeps {
  verifier: JwtVerifier;
  /** Served at /admission, beside /health and /metrics (never proxied by the gateway). */
  admissionView?: () => CheckoutAdmission;
  changes: OrderChanges;
  logger: Logger;
}

export function orderRoutes(deps: OrderRoutesDeps): Router {
  const { pool, verifier } = deps;
  const router = Router();
  router.get('/admission', (_req, res) => {
    if (!deps.admissionView) throw new AppError('NOT_FOUND', 'admission control is off');
    res.setHeader('Cache-Control', 'no-store');
    res.json(deps.admissionView());
  });
  router.use('/api/orders', requireAuth(verifier));

  router.post('/api/orders', async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    const body = parseBody(placeOrderBodySchema, req);
    const { order, replayed } = await placeOrder(deps, {
      customerId: req.user!.id,
      authorization: req.headers.authorization!,
      idempotencyKey,
      body,
      cause: causeOf(),
    });
    if (replayed) res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    res.status(202).location(`/api/orders/${order.id}`).json(order);
  });

  router.get('/api/orders', async (req, res) => {
    res.json(await listOrders(pool, req.user!, parseQuery(paginationQuerySchema, req)));
  });

  // Before /:id, which would take "reconciliation" for a malformed id.
  router.get('/api/orders/reconciliation/summary', requireRole('admin'), async (_req, res) => {
    res.json(await reconciliationSummary(pool));
  });

  router.get('/api/orders/sagas/slowest', requireRole('admin'), async (req, res) => {
    res.json(await slowestSagas(pool, parseQuery(slowestSagasQuerySchema, req)));
  });

  router.get('/api/orders/:id', async (req, res) => {
    const { id } = parseParams(uuidParamsSchema, req);
    res.json(await getOrder(pool, req.user!, id));
  });

  router.get('/api/orders/:id/saga', async (req, res) => {
    const { id } = parseParams(uuidParamsSchema, req);
    res.json(await getSagaTimeline(pool, req.user!, id));
  });

  router.get('/api/orders/:id/events', async (req, res) => {
    const { id } = parseParams(uuidParamsSchema, req);
    await streamOrderEvents(
      {
        changes: deps.changes,
        logger: deps.logger,
        readSnapshot: (user, orderId) => getOrderSnapshot(pool, user, orderId),
      },
      req.user!,
      id,
      req,
      res,
    );
  });

  router.post('/api/orders/:id/cancel', async (req, res) => {
    const { id } = parseParams(uuidParamsSchema, req);
    res.status(202).json(await cancelOrder(deps, req.user!, id, causeOf()));
  });

  return router;
}

function idempotencyKeyOf(req: Request): string {
  const result = placeOrderHeadersSchema.safeParse({
    'idempotency-key': req.headers['idempotency-key'],
  });
  if (!result.success) {
    throw new AppError(
      'VALIDATION',
      `the ${IDEMPOTENCY_KEY_HEADER} header must be 1..255 characters`,
      {
        errors: fieldErrors(result.error).map((error) => ({
          ...error,
          path: `headers.${IDEMPOTENCY_KEY_HEADER}`,
        })),
      },
    );
  }
  return result.data['idempotency-key'];
}

/** The request that placed or cancelled the order caused the saga's messages. */
function causeOf(): { causationId?: string } {
  const requestId = currentContext()?.requestId;
  return requestId === undefined ? {} : { causationId: requestId };
}
