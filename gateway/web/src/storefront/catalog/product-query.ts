import type { ProductSort } from '@shop/contracts';

export const productPageSize = 12;

export const sortOptions: ReadonlyArray<{ value: ProductSort; label: string }> = [
  { value: 'relevance', label: 'Relevance' },
  { value: 'price_asc', label: 'Price: low to high' },
  { value: 'price_desc', label: 'Price: high to low' },
  { value: 'name', label: 'Name' },
];

/** The product list's filters; the page's URL query carries them (same names as the API's). */
export interface ProductFilters {
  search: string;
  category: string;
  minPriceCents: number | undefined;
  maxPriceCents: number | undefined;
  inStock: boolean;
  sort: ProductSort;
  page: number;
}

function nonNegativeInt(text: string | null): number | undefined {
  if (text === null || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function isSort(value: string | null): value is ProductSort {
  return sortOptions.some((option) => option.value === value);
}

export function filtersFromSearch(search: string): ProductFilters {
  const params = new URLSearchParams(search);
  const sort = params.get('sort');
  return {
    search: params.get('search') ?? '',
    category: params.get('category') ?? '',
    minPriceCents: nonNegativeInt(params.get('minPriceCents')),
    maxPriceCents: nonNegativeInt(params.get('maxPriceCents')),
    inStock: params.get('inStock') === 'true',
    sort: isSort(sort) ? sort : 'relevance',
    page: Math.max(1, nonNegativeInt(params.get('page')) ?? 1),
  };
}

/** The query string for these filters, defaults left out so that URLs stay short. */
export function searchFromFilters(filters: ProductFilters): string {
  const params = new URLSearchParams();
  if (filters.search.trim()) params.set('search', filters.search.trim());
  if (filters.category) params.set('category', filters.category);
  if (filters.minPriceCents !== undefined)
    params.set('minPriceCents', String(filters.minPriceCents));
  if (filters.maxPriceCents !== undefined)
    params.set('maxPriceCents', String(filters.maxPriceCents));
  if (filters.inStock) params.set('inStock', 'true');
  if (filters.sort !== 'relevance') params.set('sort', filters.sort);
  if (filters.page > 1) params.set('page', String(filters.page));
  return params.toString();
}

/** GET /api/products for these filters. */
export function productsApiPath(filters: ProductFilters): string {
  const query = searchFromFilters(filters);
  const params = new URLSearchParams(query);
  params.set('pageSize', String(productPageSize));
  return `/api/products?${params.toString()}`;
}
