import { renderCart, withoutOrderedItems, type StoredCart } from '../src/domain/cart';

const now = new Date('2025-01-31T12:00:00.000Z');
const [a, b, c] = ['product-a', 'product-b', 'product-c'];

function stored(lines: Array<[string, number]>): StoredCart {
  return {
    lines: lines.map(([productId, quantity]) => ({ productId, quantity })),
    currency: 'EUR',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
}

describe('withoutOrderedItems', () => {
  test('when the cart holds exactly the order, then it ends empty without a currency', () => {
    const next = withoutOrderedItems(stored([[a, 2]]), [{ productId: a, quantity: 2 }], now);

    expect(next).toEqual({ lines: [], updatedAt: now.toISOString() });
  });

  test('when more was added after the order, then only the ordered quantities come off', () => {
    const cart = stored([
      [a, 5],
      [b, 1],
      [c, 1],
    ]);

    const next = withoutOrderedItems(
      cart,
      [
        { productId: a, quantity: 2 },
        { productId: b, quantity: 1 },
      ],
      now,
    );

    expect(next?.lines).toEqual([
      { productId: a, quantity: 3 },
      { productId: c, quantity: 1 },
    ]);
    expect(next?.currency).toBe('EUR');
  });

  test('when the ordered lines were removed by hand meanwhile, then nothing changes', () => {
    expect(withoutOrderedItems(stored([[c, 1]]), [{ productId: a, quantity: 1 }], now)).toBeNull();
  });
});

describe('renderCart', () => {
  test('when lines are rendered, then prices come from the snapshots and totals add up', () => {
    const snapshots = new Map([
      [a, { id: a, sku: 'A', name: 'A', priceCents: 250, currency: 'EUR' }],
      [b, { id: b, sku: 'B', name: 'B', priceCents: 1_000, currency: 'EUR' }],
    ]);

    const cart = renderCart(
      stored([
        [a, 3],
        [b, 1],
      ]),
      snapshots,
      { defaultCurrency: 'USD', now },
    );

    expect(cart).toEqual({
      items: [
        {
          productId: a,
          sku: 'A',
          name: 'A',
          unitPriceCents: 250,
          quantity: 3,
          lineTotalCents: 750,
        },
        {
          productId: b,
          sku: 'B',
          name: 'B',
          unitPriceCents: 1_000,
          quantity: 1,
          lineTotalCents: 1_000,
        },
      ],
      subtotalCents: 1_750,
      currency: 'EUR',
      updatedAt: '2025-01-01T00:00:00.000Z',
    });
  });

  test('when there is no stored cart, then it is empty in the default currency', () => {
    expect(renderCart(null, new Map(), { defaultCurrency: 'USD', now })).toEqual({
      items: [],
      subtotalCents: 0,
      currency: 'USD',
      updatedAt: now.toISOString(),
    });
  });
});
