import { stockStatusOf, type Product, type ProductListQuery } from '@shop/contracts';
import type { Tx } from '@shop/postgres';

export interface NewProduct {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: string;
  imageUrl: string | null;
  createdAt: Date;
}

export interface ProductChanges {
  name?: string;
  description?: string;
  category?: string;
  priceCents?: number;
  imageUrl?: string | null;
}

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price_cents: string;
  currency: string;
  image_url: string | null;
  available: number | null;
  as_of: Date | null;
  created_at: Date;
}

// A product without a stock row (none should exist: one is written with the product) reads as
// out of stock as of its creation, which is what the contract's stock schema allows.
const productColumns = `
  p.id, p.sku, p.name, p.description, p.category, p.price_cents, p.currency, p.image_url,
  p.created_at, s.available, s.as_of`;

const productSource = `products p LEFT JOIN product_stock s ON s.product_id = p.id`;

function toProduct(row: ProductRow): Product {
  const available = row.available ?? 0;
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    category: row.category,
    priceCents: Number(row.price_cents),
    currency: row.currency,
    imageUrl: row.image_url,
    stock: {
      available,
      status: stockStatusOf(available),
      asOf: (row.as_of ?? row.created_at).toISOString(),
    },
  };
}

export async function insertProduct(tx: Tx, product: NewProduct): Promise<void> {
  await tx.query(
    `INSERT INTO products
       (id, sku, name, description, category, price_cents, currency, image_url, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
    [
      product.id,
      product.sku,
      product.name,
      product.description,
      product.category,
      product.priceCents,
      product.currency,
      product.imageUrl,
      product.createdAt,
    ],
  );
}

const changeColumns: Record<keyof ProductChanges, string> = {
  name: 'name',
  description: 'description',
  category: 'category',
  priceCents: 'price_cents',
  imageUrl: 'image_url',
};

/** Updates the given fields; false when there is no such product. Locks the row until commit. */
export async function updateProduct(tx: Tx, id: string, changes: ProductChanges): Promise<boolean> {
  const fields = (Object.keys(changeColumns) as Array<keyof ProductChanges>).filter(
    (field) => changes[field] !== undefined,
  );
  const assignments = fields.map((field, index) => `${changeColumns[field]} = $${index + 2}`);
  const { rowCount } = await tx.query(
    `UPDATE products SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1`,
    [id, ...fields.map((field) => changes[field])],
  );
  return rowCount === 1;
}

export async function findProductById(db: Tx, id: string): Promise<Product | undefined> {
  const { rows } = await db.query<ProductRow>(
    `SELECT ${productColumns} FROM ${productSource} WHERE p.id = $1`,
    [id],
  );
  return rows[0] && toProduct(rows[0]);
}

export async function skuExists(db: Tx, sku: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM products WHERE sku = $1', [sku]);
  return rowCount === 1;
}

export interface ProductSlice {
  items: Product[];
  total: number;
}

/** Filters in SQL with bound parameters only; the sort is chosen from a fixed table. */
export async function listProducts(db: Tx, query: ProductListQuery): Promise<ProductSlice> {
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions: string[] = [];
  let rank = 'NULL::real';
  // A blank search box searches for nothing in particular: every product, in the usual order.
  const search = query.search?.trim() || undefined;
  if (search !== undefined) {
    const tsquery = `websearch_to_tsquery('english', ${bind(search)})`;
    conditions.push(`p.search_vector @@ ${tsquery}`);
    rank = `ts_rank(p.search_vector, ${tsquery})`;
  }
  if (query.category !== undefined) conditions.push(`p.category = ${bind(query.category)}`);
  if (query.minPriceCents !== undefined) {
    conditions.push(`p.price_cents >= ${bind(query.minPriceCents)}`);
  }
  if (query.maxPriceCents !== undefined) {
    conditions.push(`p.price_cents <= ${bind(query.maxPriceCents)}`);
  }
  if (query.inStock === true) conditions.push('coalesce(s.available, 0) > 0');
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';

  const filterParams = [...params];
  const { rows: counted } = await db.query<{ total: string }>(
    `SELECT count(*) AS total FROM ${productSource} ${where}`,
    filterParams,
  );
  const order = orderBy(query.sort, search !== undefined);
  const limit = bind(query.pageSize);
  const offset = bind((query.page - 1) * query.pageSize);
  const { rows } = await db.query<ProductRow>(
    `SELECT ${productColumns}, ${rank} AS rank FROM ${productSource} ${where}
      ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  return { items: rows.map(toProduct), total: Number(counted[0]?.total ?? 0) };
}

// Every order ends with the id, so pages never repeat or skip a product that ties on the key.
function orderBy(sort: ProductListQuery['sort'], searching: boolean): string {
  switch (sort) {
    case 'price_asc':
      return 'p.price_cents ASC, p.id ASC';
    case 'price_desc':
      return 'p.price_cents DESC, p.id ASC';
    case 'name':
      return 'p.name ASC, p.id ASC';
    case 'relevance':
      // Relevance means nothing without a search; the name order is the stable fallback.
      return searching ? 'rank DESC, p.name ASC, p.id ASC' : 'p.name ASC, p.id ASC';
  }
}
