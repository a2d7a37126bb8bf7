import type { Category, ProductPage } from '@shop/contracts';
import { useMemo } from 'react';
import { useLocation, useSearch } from 'wouter';
import { api } from '../../api/client';
import { Loading } from '../../ui/loading';
import { Pagination } from '../../ui/pagination';
import { ProblemMessage } from '../../ui/problem-message';
import { useApiResource } from '../../ui/use-api-resource';
import { ProductCard } from '../catalog/product-card';
import { ProductFiltersForm } from '../catalog/product-filters';
import {
  filtersFromSearch,
  productsApiPath,
  searchFromFilters,
  type ProductFilters,
} from '../catalog/product-query';
import { useDocumentTitle } from '../layout/use-document-title';

/** Browse, search, filter, sort and page through the catalog; the URL keeps the filters. */
export function ProductListPage() {
  useDocumentTitle('Products');
  const search = useSearch();
  const [, navigate] = useLocation();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const apiPath = productsApiPath(filters);

  const products = useApiResource(apiPath, (signal) => api<ProductPage>(apiPath, { signal }));
  const categories = useApiResource('/api/categories', (signal) =>
    api<Category[]>('/api/categories', { signal }),
  );
  const categoryNames = useMemo(
    () => new Map((categories.data ?? []).map((category) => [category.slug, category.name])),
    [categories.data],
  );
  const currency = products.data?.items[0]?.currency ?? 'EUR';

  function go(next: ProductFilters, quietly = false) {
    const query = searchFromFilters(next);
    navigate(query ? `/?${query}` : '/', { replace: quietly });
  }

  const page = products.data;
  return (
    <>
      <div className="page-header">
        <h1>Products</h1>
        {page && (
          <p className="muted small" aria-live="polite">
            {page.total === 1 ? '1 product' : `${page.total} products`}
          </p>
        )}
      </div>
      <ProductFiltersForm
        filters={filters}
        categories={categories.data ?? []}
        currency={currency}
        onApply={go}
      />
      {categories.failure !== undefined && <ProblemMessage failure={categories.failure} />}
      <section aria-label="Results" aria-busy={products.loading} className="results">
        {products.failure !== undefined && (
          <div className="stack">
            <ProblemMessage failure={products.failure} />
            <button type="button" onClick={products.reload}>
              Try again
            </button>
          </div>
        )}
        {!page && products.loading && <Loading what="Loading products" />}
        {page && page.items.length === 0 && (
          <p className="message message--info">No products match. Try other filters.</p>
        )}
        {page && page.items.length > 0 && (
          <ul className="grid product-grid">
            {page.items.map((product) => (
              <li key={product.id}>
                <ProductCard product={product} categoryName={categoryNames.get(product.category)} />
              </li>
            ))}
          </ul>
        )}
        {page && page.total > 0 && (
          <Pagination
            page={page.page}
            pageSize={page.pageSize}
            total={page.total}
            label="Product pages"
            onPage={(to) => {
              go({ ...filters, page: to });
              window.scrollTo({ top: 0 });
            }}
          />
        )}
      </section>
    </>
  );
}
