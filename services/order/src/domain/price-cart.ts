import { cartSchema, productSchema, type OrderItem } from '@shop/contracts';
import type { HttpClient } from '@shop/resilience';
import { AppError, isAppError, outgoingHeaders } from '@shop/service-kit';

export interface PricingClients {
  cart: HttpClient;
  catalog: HttpClient;
}

export interface PricedCart {
  items: OrderItem[];
  totalCents: number;
  currency: string;
}

/**
 * The caller's cart, every line priced from the catalog now: the cart's snapshot prices may be
 * stale (it keeps serving them while the catalog is down), and the client's are never trusted.
 * Both calls go through their breakers; an unavailable upstream fails the placement (503/504)
 * before anything is stored.
 */
export async function priceCart(
  { cart, catalog }: PricingClients,
  authorization: string,
): Promise<PricedCart> {
  const current = await cart.get('/api/cart', {
    schema: cartSchema,
    headers: { ...outgoingHeaders(), authorization },
  });
  if (current.items.length === 0) {
    throw new AppError('UNPROCESSABLE', 'the cart is empty: add items before placing an order');
  }
  const items = await Promise.all(
    current.items.map(
      async ({ productId, quantity }): Promise<OrderItem & { currency: string }> => {
        const product = await catalog
          .get(`/api/products/${productId}`, { schema: productSchema, headers: outgoingHeaders() })
          .catch((error: unknown) => {
            if (isAppError(error) && error.code === 'NOT_FOUND') {
              throw new AppError('UNPROCESSABLE', `product ${productId} is no longer sold`);
            }
            throw error;
          });
        return {
          productId,
          sku: product.sku,
          name: product.name,
          unitPriceCents: product.priceCents,
          quantity,
          currency: product.currency,
        };
      },
    ),
  );
  const currencies = new Set(items.map((item) => item.currency));
  if (currencies.size !== 1) {
    throw new AppError('UNPROCESSABLE', 'the cart mixes currencies; one order has one currency');
  }
  return {
    items: items.map(({ currency: _currency, ...item }) => item),
    totalCents: items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0),
    currency: items[0]!.currency,
  };
}
