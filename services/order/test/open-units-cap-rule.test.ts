import type { OrderItem } from '@shop/contracts';
import { openUnitsCapErrors } from '../src/domain/open-units-cap';

function line(productId: string, quantity: number): OrderItem {
  return { productId, sku: `SKU-${productId}`, name: productId, unitPriceCents: 100, quantity };
}

describe('openUnitsCapErrors', () => {
  test('when open units plus the order reach the cap exactly, then no error', () => {
    expect(openUnitsCapErrors([line('a', 2)], new Map([['a', 3]]), 5)).toEqual([]);
  });

  test('when they pass it, then one error naming the product, the cap and what is already open', () => {
    expect(openUnitsCapErrors([line('a', 3), line('b', 1)], new Map([['a', 3]]), 5)).toEqual([
      {
        path: 'items.a',
        message:
          'at most 5 units of a product may be in your open orders: 3 already are, this order adds 3',
      },
    ]);
  });

  test('when one product is on two lines, then their units are added up', () => {
    const errors = openUnitsCapErrors([line('a', 3), line('a', 3)], new Map(), 5);

    expect(errors.map((error) => error.path)).toEqual(['items.a']);
    expect(errors[0]!.message).toContain('this order adds 6');
  });
});
