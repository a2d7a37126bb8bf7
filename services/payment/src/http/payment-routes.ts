import { requireAuth, requireRole, type JwtVerifier } from '@shop/auth';
import { paymentsQuerySchema } from '@shop/contracts';
import { parseQuery } from '@shop/service-kit';
import { Router } from 'express';
import type { Pool } from 'pg';
import { paymentSummary, paymentsOfOrder } from '../domain/payment-queries';

/** Admin reads for reconciliation: contracts' `Reconciliation` routes. */
export function paymentRoutes(pool: Pool, verifier: JwtVerifier): Router {
  const router = Router();
  const admin = [requireAuth(verifier), requireRole('admin')];

  router.get('/api/payments/summary', ...admin, async (_req, res) => {
    res.json(await paymentSummary(pool));
  });

  router.get('/api/payments', ...admin, async (req, res) => {
    const { orderId } = parseQuery(paymentsQuerySchema, req);
    res.json(await paymentsOfOrder(pool, orderId));
  });

  return router;
}
