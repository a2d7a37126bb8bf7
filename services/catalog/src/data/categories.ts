import type { Category } from '@shop/contracts';
import type { Tx } from '@shop/postgres';

interface CategoryRow {
  slug: string;
  name: string;
  product_count: string;
}

/** Every category, also the empty ones, so a client can show the whole taxonomy. */
export async function listCategories(db: Tx): Promise<Category[]> {
  const { rows } = await db.query<CategoryRow>(
    `SELECT c.slug, c.name, count(p.id) AS product_count
       FROM categories c
       LEFT JOIN products p ON p.category = c.slug
      GROUP BY c.slug, c.name
      ORDER BY c.name, c.slug`,
  );
  return rows.map((row) => ({
    slug: row.slug,
    name: row.name,
    productCount: Number(row.product_count),
  }));
}
