import { requireAuth, type JwtVerifier } from '@shop/auth';
import { paginationQuerySchema } from '@shop/contracts';
import type { Pool } from '@shop/postgres';
import { AppError, parseQuery } from '@shop/service-kit';
import { Router } from 'express';
import { listNotifications } from '../domain/list-notifications';

export function notificationRoutes(pool: Pool, verifier: JwtVerifier): Router {
  const router = Router();

  router.get('/api/notifications', requireAuth(verifier), async (req, res) => {
    if (!req.user) throw new AppError('UNAUTHENTICATED', 'no authenticated user');
    const query = parseQuery(paginationQuerySchema, req);
    res.json(await listNotifications(pool, req.user.id, query));
  });

  return router;
}
