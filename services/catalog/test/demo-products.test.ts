import { createProductBodySchema, stockStatusOf } from '@shop/contracts';
import { demoProducts } from '../src/seed/demo-products';

describe('demo products', () => {
  const parsed = demoProducts.map((entry) => createProductBodySchema.parse(entry));

  it('when the demo catalog is read, then it holds at least 50 valid products in at least 5 categories', () => {
    const categories = new Set(parsed.map((product) => product.category));

    expect(parsed.length).toBeGreaterThanOrEqual(50);
    expect(categories.size).toBeGreaterThanOrEqual(5);
  });

  it('when skus are compared, then each is unique', () => {
    const skus = parsed.map((product) => product.sku);

    expect(new Set(skus).size).toBe(skus.length);
  });

  it('when stock is counted, then most have at least 100 units and every status shows', () => {
    const plenty = parsed.filter((product) => product.initialStock >= 100);
    const statuses = new Set(parsed.map((product) => stockStatusOf(product.initialStock)));

    expect(plenty.length).toBeGreaterThan(parsed.length * 0.75);
    expect([...statuses].sort()).toEqual(['IN_STOCK', 'LOW_STOCK', 'OUT_OF_STOCK']);
  });
});
