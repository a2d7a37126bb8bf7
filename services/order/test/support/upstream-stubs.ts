import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cart, Product } from '@shop/contracts';

/**
 * Plays the cart and the catalog at the network boundary: real HTTP servers on loopback ports.
 * The cart answers by the caller's Authorization header (the order service forwards it); the
 * catalog serves the products the test put in it. `failing` makes either answer 503.
 */
export interface UpstreamStubs {
  cartUrl: string;
  catalogUrl: string;
  putCart(authorization: string, lines: Array<{ product: Product; quantity: number }>): void;
  putProduct(overrides?: Partial<Product>): Product;
  failing: { cart: boolean; catalog: boolean };
  /** How many times the cart and each product were asked for. */
  calls: { cart: number; products: Map<string, number> };
  close(): Promise<void>;
}

export async function startUpstreamStubs(): Promise<UpstreamStubs> {
  const carts = new Map<string, Cart>();
  const products = new Map<string, Product>();
  const failing = { cart: false, catalog: false };
  const calls = { cart: 0, products: new Map<string, number>() };

  const cart = await listen((req, res) => {
    calls.cart += 1;
    if (failing.cart) return send(res, 503, { title: 'Service Unavailable' });
    if (req.url !== '/api/cart') return send(res, 404, { title: 'Not Found' });
    const found = carts.get(req.headers.authorization ?? '');
    send(res, 200, found ?? emptyCart());
  });
  const catalog = await listen((req, res) => {
    const id = /^\/api\/products\/([^/]+)$/.exec(req.url ?? '')?.[1] ?? '';
    calls.products.set(id, (calls.products.get(id) ?? 0) + 1);
    if (failing.catalog) return send(res, 503, { title: 'Service Unavailable' });
    const product = products.get(id);
    if (!product) return send(res, 404, { title: 'Not Found', status: 404 });
    send(res, 200, product);
  });

  return {
    cartUrl: cart.url,
    catalogUrl: catalog.url,
    failing,
    calls,
    putCart(authorization, lines) {
      // The cart's snapshot prices are deliberately wrong: the order must price from the catalog.
      const items = lines.map(({ product, quantity }) => ({
        productId: product.id,
        sku: product.sku,
        name: product.name,
        unitPriceCents: 1,
        quantity,
        lineTotalCents: quantity,
      }));
      carts.set(authorization, {
        items,
        subtotalCents: items.reduce((sum, item) => sum + item.lineTotalCents, 0),
        currency: 'EUR',
        updatedAt: new Date().toISOString(),
      });
    },
    putProduct(overrides = {}) {
      const id = overrides.id ?? randomUUID();
      const product: Product = {
        id,
        sku: `SKU-${id.slice(0, 8).toUpperCase()}`,
        name: `Product ${id.slice(0, 8)}`,
        description: 'A thing',
        category: 'things',
        priceCents: 1999,
        currency: 'EUR',
        imageUrl: null,
        stock: { available: 100, status: 'IN_STOCK', asOf: new Date().toISOString() },
        ...overrides,
      };
      products.set(id, product);
      return product;
    },
    async close() {
      await Promise.all([cart.close(), catalog.close()]);
    },
  };
}

function emptyCart(): Cart {
  return { items: [], subtotalCents: 0, currency: 'EUR', updatedAt: new Date().toISOString() };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function listen(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
