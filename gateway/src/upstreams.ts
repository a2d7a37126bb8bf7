import type { RouteAuth } from '@shop/contracts';
import type { Config } from './config';

export type UpstreamName =
  'identity' | 'catalog' | 'cart' | 'order' | 'inventory' | 'payment' | 'notification';

export interface Upstream {
  name: UpstreamName;
  url: string;
  timeoutMs: number;
  /** Path prefixes it serves; `/api/cart` covers `/api/cart` and `/api/cart/…`, not `/api/cartons`. */
  prefixes: string[];
  /**
   * What a path under its prefixes needs when no documented route (contracts `publicRoutes`)
   * names it: the services of a caller's own data require a user for anything they might add.
   */
  defaultAuth: RouteAuth;
}

/**
 * Where each public path goes. Paths pass through unchanged: the services serve the public paths.
 * Payment serves only admin reads (contracts' Reconciliation routes), so its default is admin.
 */
export function upstreamsFrom(config: Config): Upstream[] {
  const timeout = (own: number | undefined) => own ?? config.UPSTREAM_TIMEOUT;
  return [
    {
      name: 'identity',
      url: config.IDENTITY_URL,
      timeoutMs: timeout(config.IDENTITY_TIMEOUT),
      prefixes: ['/api/auth'],
      defaultAuth: 'none',
    },
    {
      name: 'catalog',
      url: config.CATALOG_URL,
      timeoutMs: timeout(config.CATALOG_TIMEOUT),
      prefixes: ['/api/products', '/api/categories'],
      defaultAuth: 'none',
    },
    {
      name: 'inventory',
      url: config.INVENTORY_URL,
      timeoutMs: timeout(config.INVENTORY_TIMEOUT),
      prefixes: ['/api/inventory'],
      defaultAuth: 'none',
    },
    {
      name: 'cart',
      url: config.CART_URL,
      timeoutMs: timeout(config.CART_TIMEOUT),
      prefixes: ['/api/cart'],
      defaultAuth: 'user',
    },
    {
      name: 'order',
      url: config.ORDER_URL,
      timeoutMs: timeout(config.ORDER_TIMEOUT),
      prefixes: ['/api/orders'],
      defaultAuth: 'user',
    },
    {
      name: 'notification',
      url: config.NOTIFICATION_URL,
      timeoutMs: timeout(config.NOTIFICATION_TIMEOUT),
      prefixes: ['/api/notifications'],
      defaultAuth: 'user',
    },
    {
      name: 'payment',
      url: config.PAYMENT_URL,
      timeoutMs: timeout(config.PAYMENT_TIMEOUT),
      prefixes: ['/api/payments'],
      defaultAuth: 'admin',
    },
  ];
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Matched as express matches routes (case-insensitively), so the auth rules and the routing agree. */
export function upstreamFor(upstreams: Upstream[], path: string): Upstream | undefined {
  const lower = path.toLowerCase();
  return upstreams.find((upstream) => upstream.prefixes.some((prefix) => isUnder(lower, prefix)));
}
