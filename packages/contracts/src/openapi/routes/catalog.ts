import {
  categoryListSchema,
  createProductBodySchema,
  productListQuerySchema,
  productPageSchema,
  productSchema,
  updateProductBodySchema,
} from '../../catalog';
import { uuidParamsSchema } from '../../common';
import type { ApiRoute, RouteLink } from '../route';

const tag = 'Catalog';

/**
 * What a client can do with a product it has just seen (`at`: where its id is in the answer). A
 * product just created has no stock level yet: inventory creates it from the ProductCreated event,
 * moments later (a 404 until then), so that link is offered only for products listed.
 */
function productLinks(at: string, seenAs: 'listed' | 'created'): Record<string, RouteLink> {
  const id = `$response.body#${at}`;
  const links: Record<string, RouteLink> = {
    getProduct: { operationId: 'getProduct', description: 'Read the product', parameters: { id } },
    addCartItem: {
      operationId: 'addCartItem',
      description: 'Put one unit in the cart',
      requestBody: { productId: id, quantity: 1 },
    },
  };
  if (seenAs === 'listed') {
    links.getStockLevel = {
      operationId: 'getStockLevel',
      description: 'Its stock level as inventory holds it',
      parameters: { productId: id },
    };
  } else {
    links.updateProduct = {
      operationId: 'updateProduct',
      description: 'Change it',
      parameters: { id },
    };
  }
  return links;
}

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
    success: {
      status: 200,
      description: 'A page of products',
      schema: productPageSchema,
      links: productLinks('/items/0/id', 'listed'),
    },
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
      links: productLinks('/id', 'created'),
    },
    problems: {
      409: 'A product with this sku exists',
      422: 'No category has this slug',
    },
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
    problems: { 404: 'No such product', 422: 'No category has this slug' },
  },
];
