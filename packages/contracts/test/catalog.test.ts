import {
  createProductBodySchema,
  productListQuerySchema,
  productSchema,
  stockStatusOf,
  updateProductBodySchema,
} from '@shop/contracts';

describe('product list query', () => {
  test('when the query is empty, then the defaults apply', () => {
    expect(productListQuerySchema.parse({})).toEqual({ page: 1, pageSize: 20, sort: 'relevance' });
  });

  test('when every filter is given as a query string, then each is coerced to its type', () => {
    const query = productListQuerySchema.parse({
      search: ' keyboard ',
      category: 'keyboards',
      minPriceCents: '1000',
      maxPriceCents: '5000',
      inStock: 'true',
      sort: 'price_desc',
      page: '3',
      pageSize: '50',
    });

    expect(query).toEqual({
      search: ' keyboard ',
      category: 'keyboards',
      minPriceCents: 1000,
      maxPriceCents: 5000,
      inStock: true,
      sort: 'price_desc',
      page: 3,
      pageSize: 50,
    });
  });

  test.each([['category'], ['minPriceCents'], ['maxPriceCents'], ['inStock'], ['sort'], ['page']])(
    'when %s is present but blank, then the query is rejected naming it (as the document declares)',
    (field) => {
      const result = productListQuerySchema.safeParse({ [field]: '' });

      expect(result.success).toBe(false);
      expect(new Set(result.error?.issues.map((issue) => issue.path.join('.')))).toEqual(
        new Set([field]),
      );
    },
  );

  test('when the search is blank, then it is accepted (a search has no minimum length)', () => {
    expect(productListQuerySchema.parse({ search: '' })).toMatchObject({ search: '' });
  });

  test('when the search holds U+0000, then it is rejected rather than reaching PostgreSQL', () => {
    expect(productListQuerySchema.safeParse({ search: 'a\u0000b' }).success).toBe(false);
  });

  test('when minPriceCents is above maxPriceCents, then the query is valid and simply matches nothing', () => {
    expect(
      productListQuerySchema.parse({ minPriceCents: '500', maxPriceCents: '100' }),
    ).toMatchObject({ minPriceCents: 500, maxPriceCents: 100 });
  });

  test.each([
    ['pageSize', { pageSize: '500' }],
    ['pageSize', { pageSize: '0' }],
    ['page', { page: '0' }],
    ['minPriceCents', { minPriceCents: 'abc' }],
    ['minPriceCents', { minPriceCents: '-1' }],
    ['maxPriceCents', { maxPriceCents: '9.99' }],
    ['sort', { sort: 'cheapest' }],
    ['inStock', { inStock: 'yes' }],
    ['category', { category: 'Key Boards' }],
    ['page', { page: ['1', '2'] }],
  ])('when %s is invalid (%p), then the query is rejected naming it', (field, query) => {
    const result = productListQuerySchema.safeParse(query);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });

  test('when an unknown parameter is sent, then it is ignored', () => {
    expect(productListQuerySchema.parse({ utm_source: 'mail' })).not.toHaveProperty('utm_source');
  });
});

describe('product bodies', () => {
  const product = {
    sku: 'KB-MECH-001',
    name: 'Mechanical keyboard',
    description: 'Tenkeyless',
    category: 'keyboards',
    priceCents: 8999,
    currency: 'EUR',
  };

  test('when a product is created without initial stock, then it starts at 0', () => {
    expect(createProductBodySchema.parse(product).initialStock).toBe(0);
  });

  test.each([
    ['an unknown field', { id: '9d2e1f3a-4b5c-4d6e-8f7a-1b2c3d4e5f6a' }],
    ['a fractional price', { priceCents: 89.99 }],
    ['a lower-case currency', { currency: 'eur' }],
    ['a non-slug category', { category: 'Keyboards' }],
    ['a non-http image URL', { imageUrl: 'javascript:alert(1)' }],
  ])('when a new product has %s, then it is rejected', (_label, change) => {
    expect(createProductBodySchema.safeParse({ ...product, ...change }).success).toBe(false);
  });

  test('when an update changes one field, then it is accepted', () => {
    expect(updateProductBodySchema.parse({ priceCents: 7999 })).toEqual({ priceCents: 7999 });
  });

  test.each([
    ['nothing', {}],
    ['the sku', { sku: 'OTHER' }],
    ['the currency', { currency: 'USD' }],
  ])('when an update changes %s, then it is rejected', (_label, body) => {
    expect(updateProductBodySchema.safeParse(body).success).toBe(false);
  });

  test('when a product response has a stock read model, then it parses', () => {
    const response = {
      ...product,
      id: '9d2e1f3a-4b5c-4d6e-8f7a-1b2c3d4e5f6a',
      imageUrl: null,
      stock: { available: 3, status: 'LOW_STOCK', asOf: '2025-01-31T12:00:00.000Z' },
    };

    expect(productSchema.safeParse(response).success).toBe(true);
  });
});

describe('stockStatusOf', () => {
  test.each([
    [0, 'OUT_OF_STOCK'],
    [1, 'LOW_STOCK'],
    [10, 'LOW_STOCK'],
    [11, 'IN_STOCK'],
  ])('when %i units are available, then the status is %s', (available, status) => {
    expect(stockStatusOf(available)).toBe(status);
  });
});
