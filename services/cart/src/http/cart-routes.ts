import { requireAuth, type JwtVerifier } from '@shop/auth';
import {
  addCartItemBodySchema,
  productIdParamsSchema,
  setCartItemQuantityBodySchema,
} from '@shop/contracts';
import { AppError, parseBody, parseParams } from '@shop/service-kit';
import { Router, type Request } from 'express';
import * as carts from '../domain/carts';

/** Every route acts on the caller's own cart, keyed by the token's subject: no cart id in a URL. */
export function cartRoutes(deps: carts.CartDeps, verifier: JwtVerifier): Router {
  const router = Router();
  router.use('/api/cart', requireAuth(verifier));

  router.get('/api/cart', async (req, res) => {
    res.json(await carts.getCart(deps, customerOf(req)));
  });

  router.post('/api/cart/items', async (req, res) => {
    const body = parseBody(addCartItemBodySchema, req);
    res.json(await carts.addItem(deps, customerOf(req), body));
  });

  router.put('/api/cart/items/:productId', async (req, res) => {
    const { productId } = parseParams(productIdParamsSchema, req);
    const { quantity } = parseBody(setCartItemQuantityBodySchema, req);
    res.json(await carts.setItemQuantity(deps, customerOf(req), productId, quantity));
  });

  router.delete('/api/cart/items/:productId', async (req, res) => {
    const { productId } = parseParams(productIdParamsSchema, req);
    res.json(await carts.removeItem(deps, customerOf(req), productId));
  });

  router.delete('/api/cart', async (req, res) => {
    await carts.clearCart(deps, customerOf(req));
    res.status(204).end();
  });

  return router;
}

function customerOf(req: Request): string {
  if (!req.user) throw new AppError('UNAUTHENTICATED', 'authentication required');
  return req.user.id;
}
