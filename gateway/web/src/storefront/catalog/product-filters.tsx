import type { Category, ProductSort } from '@shop/contracts';
import { useEffect, useRef, useState } from 'react';
import { majorAmountText, parseMajorAmount } from '../../ui/money';
import { sortOptions, type ProductFilters } from './product-query';

interface Props {
  filters: ProductFilters;
  categories: Category[];
  currency: string;
  /** Applies the filters (always back to page 1); `quietly` replaces the history entry. */
  onApply: (filters: ProductFilters, quietly?: boolean) => void;
}

const priceDebounceMs = 600;

function priceText(cents: number | undefined, currency: string): string {
  return cents === undefined ? '' : majorAmountText(cents, currency);
}

/**
 * Search (on submit), category, price range, in-stock and sort. Selects and the checkbox apply at
 * once; prices apply a moment after typing stops, on leaving the field, or on Enter.
 */
export function ProductFiltersForm({ filters, categories, currency, onApply }: Props) {
  const [search, setSearch] = useState(filters.search);
  const [minPrice, setMinPrice] = useState(priceText(filters.minPriceCents, currency));
  const [maxPrice, setMaxPrice] = useState(priceText(filters.maxPriceCents, currency));
  const priceTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Back/forward or a link changed the URL: show what it says, but keep what is being typed when
  // it means the same ("10.50" stays, not "10.5").
  useEffect(() => {
    setSearch((draft) => (draft.trim() === filters.search ? draft : filters.search));
    setMinPrice((draft) =>
      parseMajorAmount(draft, currency) === filters.minPriceCents
        ? draft
        : priceText(filters.minPriceCents, currency),
    );
    setMaxPrice((draft) =>
      parseMajorAmount(draft, currency) === filters.maxPriceCents
        ? draft
        : priceText(filters.maxPriceCents, currency),
    );
  }, [filters.search, filters.minPriceCents, filters.maxPriceCents, currency]);

  useEffect(() => () => clearTimeout(priceTimer.current), []);

  function drafted(overrides: Partial<ProductFilters> = {}): ProductFilters {
    return {
      ...filters,
      search: search.trim(),
      minPriceCents: parseMajorAmount(minPrice, currency),
      maxPriceCents: parseMajorAmount(maxPrice, currency),
      ...overrides,
      page: 1,
    };
  }

  function applyNow(overrides: Partial<ProductFilters> = {}, quietly = false) {
    clearTimeout(priceTimer.current);
    const next = drafted(overrides);
    const unchanged =
      next.search === filters.search &&
      next.category === filters.category &&
      next.minPriceCents === filters.minPriceCents &&
      next.maxPriceCents === filters.maxPriceCents &&
      next.inStock === filters.inStock &&
      next.sort === filters.sort &&
      filters.page === 1;
    if (!unchanged) onApply(next, quietly);
  }

  function priceTyped(which: 'min' | 'max', text: string) {
    if (which === 'min') setMinPrice(text);
    else setMaxPrice(text);
    clearTimeout(priceTimer.current);
    const cents = parseMajorAmount(text, currency);
    priceTimer.current = setTimeout(() => {
      applyNow(which === 'min' ? { minPriceCents: cents } : { maxPriceCents: cents }, true);
    }, priceDebounceMs);
  }

  return (
    <form
      className="filters card"
      role="search"
      aria-label="Product filters"
      onSubmit={(event) => {
        event.preventDefault();
        applyNow();
      }}
    >
      <div className="filters__search">
        <div className="field">
          <label htmlFor="product-search">Search products</label>
          <div className="row filters__search-row">
            <input
              id="product-search"
              type="search"
              value={search}
              maxLength={200}
              onChange={(event) => setSearch(event.target.value)}
            />
            <button type="submit" className="button--primary">
              Search
            </button>
          </div>
        </div>
      </div>
      <div className="filters__grid">
        <div className="field">
          <label htmlFor="product-category">Category</label>
          <select
            id="product-category"
            value={filters.category}
            onChange={(event) => applyNow({ category: event.target.value })}
          >
            <option value="">All categories</option>
            {categories.map((category) => (
              <option key={category.slug} value={category.slug}>
                {category.name} ({category.productCount})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="product-min-price">Min price</label>
          <input
            id="product-min-price"
            type="number"
            inputMode="decimal"
            min={0}
            step="0.01"
            value={minPrice}
            aria-describedby="price-currency"
            onChange={(event) => priceTyped('min', event.target.value)}
            onBlur={() => applyNow()}
          />
        </div>
        <div className="field">
          <label htmlFor="product-max-price">Max price</label>
          <input
            id="product-max-price"
            type="number"
            inputMode="decimal"
            min={0}
            step="0.01"
            value={maxPrice}
            aria-describedby="price-currency"
            onChange={(event) => priceTyped('max', event.target.value)}
            onBlur={() => applyNow()}
          />
        </div>
        <div className="field">
          <label htmlFor="product-sort">Sort by</label>
          <select
            id="product-sort"
            value={filters.sort}
            onChange={(event) => applyNow({ sort: event.target.value as ProductSort })}
          >
            {sortOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field filters__check">
          <label className="check" htmlFor="product-in-stock">
            <input
              id="product-in-stock"
              type="checkbox"
              checked={filters.inStock}
              onChange={(event) => applyNow({ inStock: event.target.checked })}
            />
            In stock only
          </label>
        </div>
      </div>
      <small id="price-currency" className="muted">
        Prices in {currency}.
      </small>
    </form>
  );
}
