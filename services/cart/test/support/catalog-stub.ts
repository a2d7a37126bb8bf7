import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Product } from '@shop/contracts';

/** How the stub answers: as the catalog would, or broken in one of the ways a real one breaks. */
export type CatalogMode = 'up' | 'failing' | 'hanging' | 'unreachable';

export interface CatalogStub {
  url: string;
  /** Every GET /api/products/:id the stub received, in order. */
  requests: string[];
  add(overrides?: Partial<Product>): Product;
  update(productId: string, changes: Partial<Product>): void;
  setMode(mode: CatalogMode): void;
  close(): Promise<void>;
}

export function aProduct(overrides: Partial<Product> = {}): Product {
  const tag = randomBytes(4).toString('hex');
  return {
    id: randomUUID(),
    sku: `SKU-${tag}`,
    name: `Product ${tag}`,
    description: 'A product for the cart tests',
    category: 'test-products',
    priceCents: 1_999,
    currency: 'EUR',
    imageUrl: null,
    stock: { available: 100, status: 'IN_STOCK', asOf: new Date().toISOString() },
    ...overrides,
  };
}

/** Plays the catalog at the network boundary: a real HTTP server on a loopback port. */
export async function startCatalogStub(): Promise<CatalogStub> {
  const products = new Map<string, Product>();
  const requests: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  let mode: CatalogMode = 'up';

  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    if (mode === 'unreachable') {
      req.socket.destroy();
      return;
    }
    if (mode === 'hanging') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (mode === 'failing') {
      answer(res, 500, { type: 'about:blank', title: 'Internal Server Error', status: 500 });
      return;
    }
    const match = /^\/api\/products\/([^/?]+)$/.exec(req.url ?? '');
    const product = match?.[1] === undefined ? undefined : products.get(match[1]);
    if (req.method !== 'GET' || !product) {
      answer(res, 404, { title: 'Not Found', status: 404, detail: 'no such product' });
      return;
    }
    answer(res, 200, product);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    add(overrides) {
      const product = aProduct(overrides);
      products.set(product.id, product);
      return product;
    },
    update(productId, changes) {
      const product = products.get(productId);
      if (!product) throw new Error(`the stub has no product ${productId}`);
      products.set(productId, { ...product, ...changes });
    },
    setMode(next) {
      mode = next;
      if (next !== 'hanging') for (const res of hanging) res.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
}
