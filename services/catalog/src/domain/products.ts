import { randomUUID } from 'node:crypto';
import type {
  Category,
  CreateProductBody,
  Product,
  ProductListQuery,
  ProductPage,
  UpdateProductBody,
} from '@shop/contracts';
import { withSnapshot, withTransaction, type Pool, type Tx } from '@shop/postgres';
import { AppError } from '@shop/service-kit';
import * as categories from '../data/categories';
import { isForeignKeyViolation, isUniqueViolation } from '../data/postgres-errors';
import * as products from '../data/products';
import { insertInitialStock } from '../data/stock';
import { emitProductCreated, emitProductUpdated } from '../messaging/product-events';

export interface CatalogDeps {
  pool: Pool;
}

/**
 * Creates the product, its initial stock and its ProductCreated event in one transaction. A
 * duplicate sku or an unknown category is the database's verdict, so concurrent requests cannot
 * slip past a check.
 */
export async function createProduct(deps: CatalogDeps, input: CreateProductBody): Promise<Product> {
  const id = randomUUID();
  const createdAt = new Date();
  try {
    return await withTransaction(deps.pool, async (tx) => {
      await products.insertProduct(tx, {
        id,
        sku: input.sku,
        name: input.name,
        description: input.description,
        category: input.category,
        priceCents: input.priceCents,
        currency: input.currency,
        imageUrl: input.imageUrl ?? null,
        createdAt,
      });
      await insertInitialStock(tx, id, input.initialStock, createdAt);
      const product = await loadProduct(tx, id);
      await emitProductCreated(tx, product, input.initialStock);
      return product;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'products_sku_key')) {
      throw new AppError('CONFLICT', `A product with sku "${input.sku}" already exists`, {
        errors: [{ path: 'sku', message: 'is already taken' }],
        cause: error,
      });
    }
    throw unknownCategoryOr(error, input.category);
  }
}

export async function updateProduct(
  deps: CatalogDeps,
  id: string,
  changes: UpdateProductBody,
): Promise<Product> {
  try {
    return await withTransaction(deps.pool, async (tx) => {
      const found = await products.updateProduct(tx, id, changes);
      if (!found) throw productNotFound(id);
      const product = await loadProduct(tx, id);
      await emitProductUpdated(tx, product);
      return product;
    });
  } catch (error) {
    throw unknownCategoryOr(error, changes.category);
  }
}

export async function getProduct(deps: CatalogDeps, id: string): Promise<Product> {
  return loadProduct(deps.pool, id);
}

export async function listProducts(
  deps: CatalogDeps,
  query: ProductListQuery,
): Promise<ProductPage> {
  const { items, total } = await withSnapshot(deps.pool, (tx) => products.listProducts(tx, query));
  return { items, page: query.page, pageSize: query.pageSize, total };
}

export function listCategories(deps: CatalogDeps): Promise<Category[]> {
  return categories.listCategories(deps.pool);
}

async function loadProduct(db: Tx, id: string): Promise<Product> {
  const product = await products.findProductById(db, id);
  if (!product) throw productNotFound(id);
  return product;
}

function productNotFound(id: string): AppError {
  return new AppError('NOT_FOUND', `No product with id ${id}`);
}

// 422, not 400: the body is well-formed, but names a category that does not exist.
function unknownCategoryOr(error: unknown, category: string | undefined): unknown {
  if (!isForeignKeyViolation(error, 'products_category_fkey')) return error;
  return new AppError('UNPROCESSABLE', `There is no category "${category}"`, {
    errors: [{ path: 'category', message: 'is not a known category' }],
    cause: error,
  });
}
