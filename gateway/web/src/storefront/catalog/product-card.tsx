import type { Product } from '@shop/contracts';
import { Link } from 'wouter';
import { formatMoney } from '../../ui/money';
import { ProductImage } from './product-image';
import { StockBadge } from './stock-badge';

/** One product in the list: its name (a link to its page), category, price and stock. */
export function ProductCard({
  product,
  categoryName,
}: {
  product: Product;
  categoryName?: string;
}) {
  return (
    <article className="card product-card">
      <ProductImage url={product.imageUrl} name={product.name} className="product-card__image" />
      <h2 className="product-card__name">
        <Link href={`/products/${product.id}`}>{product.name}</Link>
      </h2>
      <p className="muted small product-card__category">{categoryName ?? product.category}</p>
      <div className="product-card__footer">
        <span className="price">{formatMoney(product.priceCents, product.currency)}</span>
        <StockBadge status={product.stock.status} available={product.stock.available} />
      </div>
    </article>
  );
}
