import {
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  type AddCartItemBody,
  type Cart,
} from '@shop/contracts';
import { AppError } from '@shop/service-kit';
import type { CartChange, CartStore } from '../data/carts';
import { renderCart, type ProductSnapshot, type StoredCart } from './cart';
import { checkProduct, snapshotsOf, type ProductDeps } from './products';

export interface CartDeps extends ProductDeps {
  carts: CartStore;
  defaultCurrency: string;
}

/** The customer's cart, rendered from the stored lines and product snapshots (no catalog call). */
export async function getCart(deps: CartDeps, customerId: string): Promise<Cart> {
  return render(deps, await deps.carts.get(customerId));
}

/** Checks the product with the catalog (or its snapshot), then adds to its line or opens one. */
export async function addItem(
  deps: CartDeps,
  customerId: string,
  { productId, quantity }: AddCartItemBody,
): Promise<Cart> {
  const product = await checkProduct(deps, productId);
  const change = await deps.carts.addLine(customerId, {
    productId,
    quantity,
    currency: product.currency,
  });
  return render(deps, changedCart(change, productId, quantity), new Map([[productId, product]]));
}

/** 0 removes the line; a product not in the cart is NOT_FOUND. */
export async function setItemQuantity(
  deps: CartDeps,
  customerId: string,
  productId: string,
  quantity: number,
): Promise<Cart> {
  const change = await deps.carts.setLineQuantity(customerId, productId, quantity);
  return render(deps, changedCart(change, productId, quantity));
}

/** Idempotent, like any DELETE: removing a line that is not there answers the cart as it is. */
export async function removeItem(
  deps: CartDeps,
  customerId: string,
  productId: string,
): Promise<Cart> {
  const change = await deps.carts.removeLine(customerId, productId);
  return render(deps, changedCart(change, productId, 0));
}

export async function clearCart(deps: CartDeps, customerId: string): Promise<void> {
  await deps.carts.clear(customerId);
}

function changedCart(change: CartChange, productId: string, quantity: number): StoredCart | null {
  switch (change.kind) {
    case 'changed':
      return change.cart;
    case 'quantity-exceeded':
      throw new AppError(
        'UNPROCESSABLE',
        `a line holds at most ${MAX_LINE_QUANTITY} units; ${change.inCart} of product ${productId} are in the cart and ${quantity} more would exceed it`,
        { errors: [{ path: 'quantity', message: `the line would exceed ${MAX_LINE_QUANTITY}` }] },
      );
    case 'too-many-lines':
      throw new AppError('UNPROCESSABLE', `a cart holds at most ${MAX_CART_LINES} lines`);
    case 'currency-mismatch':
      throw new AppError(
        'UNPROCESSABLE',
        `the cart is in ${change.cartCurrency}; product ${productId} is priced in another currency`,
      );
    case 'not-in-cart':
      throw new AppError('NOT_FOUND', `product ${productId} is not in the cart`);
  }
}

/** `known`: snapshots in hand (the product just checked), which need not be read back from Redis. */
async function render(
  deps: CartDeps,
  stored: StoredCart | null,
  known: ReadonlyMap<string, ProductSnapshot> = new Map(),
): Promise<Cart> {
  const others = (stored?.lines ?? [])
    .map((line) => line.productId)
    .filter((productId) => !known.has(productId));
  const snapshots = new Map([...known, ...(await snapshotsOf(deps, others))]);
  return renderCart(stored, snapshots, { defaultCurrency: deps.defaultCurrency, now: new Date() });
}
