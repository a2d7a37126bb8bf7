import { requireAuth, requireRole, type JwtVerifier } from '@shop/auth';
import { uuidSchema } from '@shop/contracts';
import { parseQuery } from '@shop/service-kit';
import { Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { paymentSummary, paymentsOfOrder } from '../domain/payment-queries';

/** Operations-only reads: not in API.md's public table, the gateway decides whether to expose them. */
const paymentsQuerySchema = z.strictObject({ orderId: uuidSchema });

export function paymentRoutes(pool: Pool, verifier: JwtVerifier): Router {
  const router = Router();
  const admin = [requireAuth(verifier), requireRole('admin')];

  router.get('/api/payments/summary', ...admin, async (_req, res) => {
    res.json(await paymentSummary(pool));
  });

  router.get('/api/payments', ...admin, async (req, res) => {
    const { orderId } = parseQuery(paymentsQuerySchema, req);
    res.json({ orderId, items: await paymentsOfOrder(pool, orderId) });
  });

  return router;
}
