import { startTestIssuer, type TestIssuer } from '@shop/auth/testing';
import type { Category, Product, ProductPage } from '@shop/contracts';
import request from 'supertest';
import { demoProducts } from '../src/seed/demo-products';
import { kafka, startCatalog, type CatalogUnderTest } from './support/environment';
import { stockLevelChanged } from './support/messages';
import { problemOf } from './support/problem';
import { waitFor } from '@shop/testkit';

jest.setTimeout(90_000);

let issuer: TestIssuer;
let catalog: CatalogUnderTest;

beforeAll(async () => {
  issuer = await startTestIssuer();
  catalog = await startCatalog(issuer, { demoData: true });
});

afterAll(async () => {
  await catalog?.close();
  await issuer?.close();
});

async function list(query: Record<string, string | number | boolean>): Promise<ProductPage> {
  const response = await request(catalog.url).get('/api/products').query(query).expect(200);
  return response.body as ProductPage;
}

async function allProducts(query: Record<string, string | number | boolean> = {}) {
  const page = await list({ ...query, pageSize: 100 });
  expect(page.total).toBeLessThanOrEqual(100);
  return page.items;
}

async function productBySku(sku: string): Promise<Product> {
  const products = await allProducts();
  const product = products.find((candidate) => candidate.sku === sku);
  if (!product) throw new Error(`no seeded product ${sku}`);
  return product;
}

describe('the demo catalog', () => {
  it('when the catalog starts with demo data, then every demo product is listed with its initial stock', async () => {
    const products = await allProducts();

    expect(products).toHaveLength(demoProducts.length);
    const keyboard = products.find((product) => product.sku === 'ELEC-KBD-002');
    expect(keyboard).toMatchObject({
      name: 'Mechanical Keyboard',
      category: 'electronics',
      priceCents: 10_900,
      currency: 'EUR',
      imageUrl: null,
      stock: { available: 190, status: 'IN_STOCK' },
    });
    expect(new Set(products.map((product) => product.stock.status))).toEqual(
      new Set(['IN_STOCK', 'LOW_STOCK', 'OUT_OF_STOCK']),
    );
  });

  it('when the categories are listed, then each count matches the products filtered by it', async () => {
    const response = await request(catalog.url).get('/api/categories').expect(200);
    const categories = response.body as Category[];

    expect(categories.length).toBeGreaterThanOrEqual(5);
    for (const category of categories) {
      const page = await list({ category: category.slug, pageSize: 1 });
      expect(page.total).toBe(category.productCount);
    }
    const counted = categories.reduce((sum, category) => sum + category.productCount, 0);
    expect(counted).toBe(demoProducts.length);
  });

  it('when the catalog restarts, then the demo products are neither created nor emitted twice', async () => {
    await catalog.restart();

    const products = await allProducts();
    const { rows } = await catalog.db.query<{ count: string }>(
      `SELECT count(*) FROM outbox WHERE envelope->>'type' = 'ProductCreated'`,
    );
    expect(products).toHaveLength(demoProducts.length);
    expect(Number(rows[0]!.count)).toBe(demoProducts.length);
  });

  it('when the demo products are created, then their ProductCreated events are published', async () => {
    await waitFor(
      async () => {
        const { rows } = await catalog.db.query<{ count: string }>(
          'SELECT count(*) FROM outbox WHERE published_at IS NULL',
        );
        return Number(rows[0]!.count) === 0;
      },
      { what: 'the outbox to drain' },
    );
  });
});

describe('searching', () => {
  it('when searching "shoes", then the shoes are found and every hit mentions a shoe', async () => {
    const hits = await allProducts({ search: 'shoes' });

    const skus = hits.map((product) => product.sku);
    expect(skus).toEqual(expect.arrayContaining(['SHOE-RUN-001', 'SHOE-TRL-002', 'SHOE-CRT-006']));
    for (const product of hits) {
      expect(`${product.name} ${product.description}`.toLowerCase()).toContain('shoe');
    }
  });

  it('when searching other word forms, then "Running Shoes" is found, the name matches first', async () => {
    const hits = await allProducts({ search: 'run shoe' });

    expect(
      hits
        .slice(0, 2)
        .map((product) => product.sku)
        .sort(),
    ).toEqual(['SHOE-RUN-001', 'SHOE-TRL-002']);
    expect(hits.map((product) => product.sku)).toContain('SHOE-RUN-008');
  });

  it('when the search differs only in case, then it finds the same products', async () => {
    const lower = await allProducts({ search: 'running shoes' });
    const upper = await allProducts({ search: 'RUNNING SHOES' });

    expect(upper.map((product) => product.id)).toEqual(lower.map((product) => product.id));
  });

  it('when searching for a word no product has, then the page is empty', async () => {
    const page = await list({ search: 'xylophone' });

    expect(page).toEqual({ items: [], page: 1, pageSize: 20, total: 0 });
  });

  it('when searching within a category, then only that category is searched', async () => {
    const hits = await allProducts({ search: 'running', category: 'books' });

    expect(hits.map((product) => product.sku)).toEqual(['BOOK-RUN-002']);
  });
});

describe('filtering and sorting', () => {
  it('when filtering by price, then every product lies within the bounds and none is missing', async () => {
    const everything = await allProducts();
    const expected = everything.filter(
      (product) => product.priceCents >= 5_000 && product.priceCents <= 10_000,
    );

    const page = await list({ minPriceCents: 5_000, maxPriceCents: 10_000, pageSize: 100 });

    expect(page.total).toBe(expected.length);
    expect(page.items.map((product) => product.id).sort()).toEqual(
      expected.map((product) => product.id).sort(),
    );
  });

  it('when sorting by price ascending or descending, then prices are in that order', async () => {
    const ascending = (await allProducts({ sort: 'price_asc' })).map((p) => p.priceCents);
    const descending = (await allProducts({ sort: 'price_desc' })).map((p) => p.priceCents);

    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
  });

  it('when no search is given, then the relevance sort falls back to the name order', async () => {
    const byDefault = await allProducts();
    const byName = await allProducts({ sort: 'name' });

    expect(byDefault.map((product) => product.id)).toEqual(byName.map((product) => product.id));
  });

  it.each(['price_asc', 'price_desc', 'name'])(
    'when paging through sort %s, then the pages add up to the whole list without repeats',
    async (sort) => {
      const whole = await allProducts({ sort });
      const paged: Product[] = [];
      for (let page = 1; ; page += 1) {
        const { items, total } = await list({ sort, page, pageSize: 7 });
        expect(total).toBe(whole.length);
        if (items.length === 0) break;
        paged.push(...items);
      }

      expect(paged.map((product) => product.id)).toEqual(whole.map((product) => product.id));
    },
  );

  it('when a page lies beyond the end, then it is empty and still tells the total', async () => {
    const page = await list({ page: 99, pageSize: 10 });

    expect(page).toEqual({ items: [], page: 99, pageSize: 10, total: demoProducts.length });
  });
});

describe('the in-stock filter', () => {
  it('when inventory reports levels, then inStock=true lists exactly the products with units available', async () => {
    const keyboard = await productBySku('ELEC-KBD-002');
    const headphones = await productBySku('ELEC-HPH-001');
    const camera = await productBySku('ELEC-CAM-007');
    await kafka.publish(
      stockLevelChanged({ productId: keyboard.id, sku: keyboard.sku, available: 0, sequence: 4 }),
      stockLevelChanged({
        productId: headphones.id,
        sku: headphones.sku,
        available: 0,
        reserved: 130,
        sequence: 1,
      }),
      stockLevelChanged({ productId: camera.id, sku: camera.sku, available: 25, sequence: 2 }),
    );
    await waitFor(
      async () => {
        const electronics = await allProducts({ category: 'electronics' });
        const available = (sku: string) =>
          electronics.find((product) => product.sku === sku)?.stock.available;
        return (
          available('ELEC-KBD-002') === 0 &&
          available('ELEC-HPH-001') === 0 &&
          available('ELEC-CAM-007') === 25
        );
      },
      { what: 'the stock levels to reach the read model' },
    );

    const inStock = await allProducts({ inStock: true });
    const everything = await allProducts();

    const inStockSkus = inStock.map((product) => product.sku);
    expect(inStockSkus).not.toContain('ELEC-KBD-002');
    expect(inStockSkus).not.toContain('ELEC-HPH-001');
    expect(inStockSkus).toContain('ELEC-CAM-007');
    expect(inStock.map((product) => product.id).sort()).toEqual(
      everything
        .filter((product) => product.stock.available > 0)
        .map((product) => product.id)
        .sort(),
    );
    expect(inStock.every((product) => product.stock.status !== 'OUT_OF_STOCK')).toBe(true);
  });
});

describe('bad requests', () => {
  it.each([
    ['pageSize', { pageSize: 500 }],
    ['minPriceCents', { minPriceCents: 'abc' }],
    ['sort', { sort: 'popularity' }],
    ['minPriceCents', { minPriceCents: '' }],
    ['page', { page: 0 }],
    ['inStock', { inStock: 'yes' }],
    ['category', { category: 'Not A Slug' }],
    ['category', { category: '' }],
    ['search', { search: 'nul\u0000byte' }],
  ])('when %s is invalid, then 400 names it', async (field, query) => {
    const response = await request(catalog.url).get('/api/products').query(query);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(problemOf(response).errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: field })]),
    );
  });

  it('when minPriceCents is above maxPriceCents, then 200 with no products (a filter that matches nothing)', async () => {
    const response = await request(catalog.url)
      .get('/api/products')
      .query({ minPriceCents: 500, maxPriceCents: 100 });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ items: [], total: 0 });
  });

  it('when the search is blank, then every product is listed as without a search', async () => {
    const blank = await request(catalog.url).get('/api/products').query({ search: '  ' });
    const none = await request(catalog.url).get('/api/products');

    expect(blank.status).toBe(200);
    expect((blank.body as ProductPage).total).toBe((none.body as ProductPage).total);
  });

  it('when a product id is unknown, then 404', async () => {
    const response = await request(catalog.url).get(
      '/api/products/0b6d6a2e-3f7a-4c8e-9a51-2f0c7f1d9e4b',
    );

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('when a product id is not a UUID, then 400 names it', async () => {
    const response = await request(catalog.url).get('/api/products/not-a-uuid');

    expect(response.status).toBe(400);
    expect(problemOf(response).errors).toEqual([expect.objectContaining({ path: 'id' })]);
  });

  it('when a known product is fetched by id, then it is returned whole', async () => {
    const listed = await productBySku('BOOK-DDI-001');

    const response = await request(catalog.url).get(`/api/products/${listed.id}`).expect(200);

    expect(response.body).toEqual(listed);
  });
});
