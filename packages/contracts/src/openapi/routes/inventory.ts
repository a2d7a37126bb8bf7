import { productIdParamsSchema } from '../../common';
import { restockBodySchema, stockLevelSchema } from '../../inventory';
import type { ApiRoute } from '../route';

const tag = 'Inventory';

export const inventoryRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/inventory/:productId',
    auth: 'none',
    operationId: 'getStockLevel',
    summary: 'The authoritative stock levels of a product',
    tag,
    params: productIdParamsSchema,
    success: { status: 200, description: 'The levels', schema: stockLevelSchema },
    problems: { 404: 'No stock row for this product' },
  },
  {
    method: 'POST',
    path: '/api/inventory/:productId/restock',
    auth: 'admin',
    operationId: 'restock',
    summary: 'Add units to a product’s stock',
    tag,
    params: productIdParamsSchema,
    body: restockBodySchema,
    success: { status: 200, description: 'The new levels', schema: stockLevelSchema },
    problems: { 404: 'No stock row for this product' },
  },
];
