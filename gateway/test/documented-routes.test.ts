import { publicRoutes } from '@shop/contracts';
import { routeTable } from '../src/auth/documented-routes';

const table = routeTable();

describe("the contract's route table", () => {
  it.each([
    ['/api/products/3f6b', '/api/products/:id'],
    ['/api/products/3f6b/', '/api/products/:id'],
    ['/API/Products', '/api/products'],
    ['/api/orders/reconciliation/summary', '/api/orders/reconciliation/summary'],
    ['/api/orders/7/saga', '/api/orders/:id/saga'],
    [
      '/api/system/dead-letters/orders.v1/0/42/replay',
      '/api/system/dead-letters/:topic/:partition/:offset/replay',
    ],
  ])('when %s is looked up, then it falls under %s', (path, pattern) => {
    expect(table.find(path)?.pattern).toBe(pattern);
  });

  it.each(['/api/products/1/2', '/api/unknown', '/api/cart/items/1/more', '/'])(
    'when %s is looked up, then no documented path is found',
    (path) => {
      expect(table.find(path)).toBeUndefined();
    },
  );

  it('when a path has GET, then HEAD needs what GET needs', () => {
    const order = table.find('/api/orders/1');

    expect(order?.needs.get('HEAD')).toBe('user');
    expect(order?.allow).toEqual(['GET', 'HEAD']);
  });

  it('when a literal path of the contract is looked up, then it is found as itself, never as a pattern with parameters', () => {
    const literals = publicRoutes.map(({ path }) => path).filter((path) => !path.includes(':'));

    for (const path of literals) expect(table.find(path)?.pattern).toBe(path);
    for (const path of literals)
      expect(
        routeTable(publicRoutes.filter((route) => route.path.includes(':'))).find(path),
      ).toBeUndefined();
  });
});
