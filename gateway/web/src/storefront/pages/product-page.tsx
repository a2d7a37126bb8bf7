import type { Cart, Product } from '@shop/contracts';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import { useSession } from '../../api/session';
import { Loading } from '../../ui/loading';
import { formatMoney } from '../../ui/money';
import { fieldError, ProblemMessage } from '../../ui/problem-message';
import { TextField } from '../../ui/text-field';
import { useApiResource } from '../../ui/use-api-resource';
import { useCart } from '../cart/cart-context';
import { ProductImage } from '../catalog/product-image';
import { StockPanel } from '../catalog/stock-panel';
import { useInventoryLevel } from '../catalog/use-inventory-level';
import { useDocumentTitle } from '../layout/use-document-title';
import { loginPathFor } from '../session/next-path';
import { useAuthedApi } from '../session/use-authed-api';

const maxLineQuantity = 99;

/** One product: description, price, stock with its freshness, and "Add to cart". */
export function ProductPage({ id }: { id: string }) {
  const product = useApiResource(id, (signal) => api<Product>(`/api/products/${id}`, { signal }));
  useDocumentTitle(product.data?.name ?? 'Product');

  if (product.failure instanceof ApiProblem && [400, 404].includes(product.failure.status)) {
    return (
      <>
        <h1>Product not found</h1>
        <p>
          There is no such product. <Link href="/">Back to all products</Link>
        </p>
      </>
    );
  }
  if (!product.data) {
    return product.failure !== undefined ? (
      <div className="stack">
        <ProblemMessage failure={product.failure} />
        <button type="button" onClick={product.reload}>
          Try again
        </button>
      </div>
    ) : (
      <Loading what="Loading the product" />
    );
  }
  return <ProductDetails product={product.data} />;
}

function ProductDetails({ product }: { product: Product }) {
  const inventory = useInventoryLevel(product.id);
  const { session } = useSession();
  const cart = useCart();
  const call = useAuthedApi();
  const [, navigate] = useLocation();
  const [quantity, setQuantity] = useState('1');
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string>('');
  const [failure, setFailure] = useState<unknown>();

  const available = inventory.level?.available ?? product.stock.available;
  const outOfStock = available <= 0;
  const path = `/products/${product.id}`;

  async function addToCart() {
    if (!session) {
      navigate(loginPathFor(path));
      return;
    }
    const count = Number(quantity);
    if (!Number.isInteger(count) || count < 1 || count > maxLineQuantity) {
      setFailure(new Error(`Choose a quantity from 1 to ${maxLineQuantity}.`));
      return;
    }
    setAdding(true);
    setAdded('');
    setFailure(undefined);
    try {
      const next = await call<Cart>('/api/cart/items', {
        method: 'POST',
        body: { productId: product.id, quantity: count },
      });
      cart.replace(next);
      setAdded('Added to cart');
    } catch (error) {
      setFailure(error);
    } finally {
      setAdding(false);
    }
  }

  return (
    <article className="product-detail">
      <p className="small">
        <Link href="/">← All products</Link>
      </p>
      <div className="split">
        <div className="stack">
          {product.imageUrl && (
            <ProductImage
              url={product.imageUrl}
              name={product.name}
              className="product-detail__image"
            />
          )}
          <h1>{product.name}</h1>
          <p className="muted small">
            SKU <code>{product.sku}</code> · {product.category}
          </p>
          <p className="product-detail__description">{product.description}</p>
        </div>
        <div className="stack">
          <p className="price price--large">{formatMoney(product.priceCents, product.currency)}</p>
          <StockPanel product={product} inventory={inventory} />
          <form
            className="card stack"
            aria-label="Add to cart"
            onSubmit={(event) => {
              event.preventDefault();
              void addToCart();
            }}
          >
            <TextField
              label="Quantity"
              type="number"
              inputMode="numeric"
              min={1}
              max={maxLineQuantity}
              step={1}
              value={quantity}
              onChange={(event) => setQuantity(event.target.value)}
              error={fieldError(failure, 'quantity')}
            />
            <button type="submit" className="button--primary" disabled={outOfStock || adding}>
              Add to cart
            </button>
            {!session && <p className="muted small">You will be asked to log in first.</p>}
            <p role="status" className={added ? 'message message--success' : 'visually-hidden'}>
              {added}
            </p>
            <ProblemMessage failure={failure} shownByFields={['quantity']} />
          </form>
        </div>
      </div>
    </article>
  );
}
