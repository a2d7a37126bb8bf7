import type { ApiRoute, HttpMethod, RouteAuth } from '../route';
import { cartRoutes } from './cart';
import { catalogRoutes } from './catalog';
import { identityRoutes } from './identity';
import { inventoryRoutes } from './inventory';
import { notificationsRoutes } from './notifications';
import { operationsRoutes } from './operations';
import { ordersRoutes } from './orders';
import { reconciliationRoutes } from './reconciliation';

export const apiRoutes: readonly ApiRoute[] = [
  ...identityRoutes,
  ...catalogRoutes,
  ...inventoryRoutes,
  ...cartRoutes,
  // Gateway auth takes the first matching route: no /api/orders/:id… may shadow an admin path.
  ...reconciliationRoutes,
  ...ordersRoutes,
  ...notificationsRoutes,
  ...operationsRoutes,
];

export interface PublicRoute {
  method: HttpMethod;
  /** Express form: `/api/products/:id`. */
  path: string;
  auth: RouteAuth;
}

/** Every documented route of the gateway, for tests that check each one answers. */
export const publicRoutes: readonly PublicRoute[] = apiRoutes.map(({ method, path, auth }) => ({
  method,
  path,
  auth,
}));
