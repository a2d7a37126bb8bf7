import { requireAuth, requireRole, type JwtVerifier } from '@shop/auth';
import {
  createProductBodySchema,
  productListQuerySchema,
  updateProductBodySchema,
  uuidParamsSchema,
} from '@shop/contracts';
import { parseBody, parseParams, parseQuery } from '@shop/service-kit';
import { Router } from 'express';
import * as catalog from '../domain/products';

export function productRoutes(deps: catalog.CatalogDeps, verifier: JwtVerifier): Router {
  const router = Router();
  const admin = [requireAuth(verifier), requireRole('admin')];

  router.get('/api/products', async (req, res) => {
    const query = parseQuery(productListQuerySchema, req);
    res.json(await catalog.listProducts(deps, query));
  });

  router.get('/api/products/:id', async (req, res) => {
    const { id } = parseParams(uuidParamsSchema, req);
    res.json(await catalog.getProduct(deps, id));
  });

  router.post('/api/products', ...admin, async (req, res) => {
    const body = parseBody(createProductBodySchema, req);
    const product = await catalog.createProduct(deps, body);
    res.status(201).location(`/api/products/${product.id}`).json(product);
  });

  router.patch('/api/products/:id', ...admin, async (req, res) => {
    const { id } = parseParams(uuidParamsSchema, req);
    const changes = parseBody(updateProductBodySchema, req);
    res.json(await catalog.updateProduct(deps, id, changes));
  });

  router.get('/api/categories', async (_req, res) => {
    res.json(await catalog.listCategories(deps));
  });

  return router;
}
