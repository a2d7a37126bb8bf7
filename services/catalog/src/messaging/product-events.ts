import type { Product } from '@shop/contracts';
import { outboxWriter } from '@shop/messaging';
import type { Tx } from '@shop/postgres';

export const catalogSource = 'catalog';

function productFields(product: Product) {
  return {
    productId: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    category: product.category,
    priceCents: product.priceCents,
    currency: product.currency,
    imageUrl: product.imageUrl,
  };
}

const { emit } = outboxWriter(catalogSource);

/** Inventory creates the product's stock row from `initialStock`. */
export async function emitProductCreated(
  tx: Tx,
  product: Product,
  initialStock: number,
): Promise<void> {
  await emit(
    tx,
    { type: 'ProductCreated', payload: { ...productFields(product), initialStock } },
    { correlationId: product.id },
  );
}

/** Carries the whole product after the change, so a consumer that missed one still converges. */
export async function emitProductUpdated(tx: Tx, product: Product): Promise<void> {
  await emit(
    tx,
    { type: 'ProductUpdated', payload: productFields(product) },
    { correlationId: product.id },
  );
}
