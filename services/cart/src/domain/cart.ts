import type { Cart } from '@shop/contracts';
import { z } from 'zod';

/** What the cart knows of a product: the catalog's answer, or its last event, whichever came last. */
export interface ProductSnapshot {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
}

/**
 * A cart as stored: only product ids and quantities. Names and prices are rendered from the
 * latest product snapshots, so a price change reaches every cart without rewriting any of them.
 */
export interface StoredCart {
  lines: StoredLine[];
  /** The currency of its lines; absent while the cart is empty. */
  currency?: string;
  updatedAt: string;
}

export interface StoredLine {
  productId: string;
  quantity: number;
}

const storedCartSchema = z.object({
  // Redis' Lua cjson cannot tell an empty array from an empty object and writes `{}`.
  lines: z.preprocess(
    (lines: unknown) => (Array.isArray(lines) ? (lines as unknown[]) : []),
    z.array(z.object({ productId: z.string(), quantity: z.number().int() })),
  ),
  currency: z.string().optional(),
  updatedAt: z.string(),
});

export function parseStoredCart(json: string | null): StoredCart | null {
  if (json === null || json === '') return null;
  return storedCartSchema.parse(JSON.parse(json));
}

export function serializeStoredCart(cart: StoredCart): string {
  return JSON.stringify(cart);
}

export function renderCart(
  stored: StoredCart | null,
  snapshots: ReadonlyMap<string, ProductSnapshot>,
  { defaultCurrency, now }: { defaultCurrency: string; now: Date },
): Cart {
  const items = (stored?.lines ?? []).map((line) => {
    const product = snapshots.get(line.productId);
    if (!product) throw new Error(`no snapshot of product ${line.productId} to render`);
    return {
      productId: line.productId,
      sku: product.sku,
      name: product.name,
      unitPriceCents: product.priceCents,
      quantity: line.quantity,
      lineTotalCents: product.priceCents * line.quantity,
    };
  });
  return {
    items,
    subtotalCents: items.reduce((sum, item) => sum + item.lineTotalCents, 0),
    currency: stored?.currency ?? defaultCurrency,
    updatedAt: stored?.updatedAt ?? now.toISOString(),
  };
}

export interface OrderedItem {
  productId: string;
  quantity: number;
}

/**
 * The cart once an order placed from it is confirmed: the ordered quantities come off their
 * lines, and whatever the customer added after placing the order stays. Emptying the whole cart
 * would throw away those later additions; removing whole lines would too, when the customer
 * added more of a product already ordered. An item no longer in the cart (removed by hand
 * meanwhile) is simply skipped. Null when nothing changes.
 */
export function withoutOrderedItems(
  cart: StoredCart,
  ordered: readonly OrderedItem[],
  now: Date,
): StoredCart | null {
  const orderedQuantity = new Map<string, number>();
  for (const item of ordered) {
    orderedQuantity.set(item.productId, (orderedQuantity.get(item.productId) ?? 0) + item.quantity);
  }
  if (!cart.lines.some((line) => orderedQuantity.has(line.productId))) return null;
  const lines = cart.lines
    .map((line) => ({
      ...line,
      quantity: line.quantity - (orderedQuantity.get(line.productId) ?? 0),
    }))
    .filter((line) => line.quantity > 0);
  return {
    lines,
    ...(lines.length > 0 && cart.currency !== undefined ? { currency: cart.currency } : {}),
    updatedAt: now.toISOString(),
  };
}
