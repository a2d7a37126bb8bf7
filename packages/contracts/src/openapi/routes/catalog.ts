import {
  categoryListSchema,
  createProductBodySchema,
  productListQuerySchema,
  productPageSchema,
  productSchema,
  updateProductBodySchema,
} from '../../catalog';
import { uuidParamsSchema } from '../../common';
import type { ApiRoute } from '../route';

const tag = 'Catalog';

export const catalogRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/products',
    auth: 'none',
    operationId: 'listProducts',
    summary: 'Search and browse products',
    description:
      'Stock figures are the catalog’s eventually consistent read model; `stock.asOf` says how fresh.',
    tag,
    query: productListQuerySchema,
    success: { status: 200, description: 'A page of products', schema: productPageSchema },
  },
  {
    method: 'GET',
    path: '/api/products/:id',
    auth: 'none',
    operationId: 'getProduct',
    summary: 'One product',
    tag,
    params: uuidParamsSchema,
    success: { status: 200, description: 'The product', schema: productSchema },
    problems: { 404: 'No such product' },
  },
  {
    method: 'GET',
    path: '/api/categories',
    auth: 'none',
    operationId: 'listCategories',
    summary: 'Every category with its product count',
    tag,
    success: { status: 200, description: 'The categories', schema: categoryListSchema },
  },
  {
    method: 'POST',
    path: '/api/products',
    auth: 'admin',
    operationId: 'createProduct',
    summary: 'Add a product (inventory creates its stock row from `initialStock`)',
    tag,
    body: createProductBodySchema,
    success: {
      status: 201,
      description: 'The new product',
      schema: productSchema,
      headers: ['Location'],
    },
    problems: { 409: 'A product with this sku exists' },
  },
  {
    method: 'PATCH',
    path: '/api/products/:id',
    auth: 'admin',
    operationId: 'updateProduct',
    summary: 'Change some of a product’s fields',
    tag,
    params: uuidParamsSchema,
    body: updateProductBodySchema,
    success: { status: 200, description: 'The product after the change', schema: productSchema },
    problems: { 404: 'No such product' },
  },
];
