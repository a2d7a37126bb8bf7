import type { JwtVerifier } from '@shop/auth';
import { requireAuth, requireRole } from '@shop/auth';
import { productIdParamsSchema, restockBodySchema } from '@shop/contracts';
import type { Pool } from '@shop/postgres';
import { currentContext, parseBody, parseParams } from '@shop/service-kit';
import { Router } from 'express';
import { getStockLevel, restock } from '../domain/stock-levels';

export interface InventoryRoutesDeps {
  pool: Pool;
  verifier: JwtVerifier;
}

export function inventoryRoutes({ pool, verifier }: InventoryRoutesDeps): Router {
  const router = Router();

  router.get('/api/inventory/:productId', async (req, res) => {
    const { productId } = parseParams(productIdParamsSchema, req);
    res.json(await getStockLevel(pool, productId));
  });

  router.post(
    '/api/inventory/:productId/restock',
    requireAuth(verifier),
    requireRole('admin'),
    async (req, res) => {
      const { productId } = parseParams(productIdParamsSchema, req);
      const { quantity } = parseBody(restockBodySchema, req);
      const levels = await restock(
        pool,
        { productId, quantity },
        { correlationId: currentContext()?.requestId ?? productId },
      );
      res.json(levels);
    },
  );

  return router;
}
