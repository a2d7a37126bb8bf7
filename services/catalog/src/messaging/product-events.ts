import {
  createMessage,
  partitionKeyOf,
  topics,
  type MessageOf,
  type Product,
} from '@shop/contracts';
import { enqueue } from '@shop/messaging';
import type { Tx } from '@shop/postgres';
import { outgoingHeaders } from '@shop/service-kit';

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

/** Kafka headers that let consumers continue the request's trace. */
function traceHeaders(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outgoingHeaders()).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}

async function emit(tx: Tx, message: MessageOf<'ProductCreated' | 'ProductUpdated'>) {
  await enqueue(tx, {
    topic: topics.catalogEvents,
    key: partitionKeyOf(message),
    envelope: message,
    headers: traceHeaders(),
  });
}

/** Inventory creates the product's stock row from `initialStock`. */
export async function emitProductCreated(
  tx: Tx,
  product: Product,
  initialStock: number,
): Promise<void> {
  const message = createMessage(
    'ProductCreated',
    { ...productFields(product), initialStock },
    { source: catalogSource, correlationId: product.id },
  );
  await emit(tx, message);
}

/** Carries the whole product after the change, so a consumer that missed one still converges. */
export async function emitProductUpdated(tx: Tx, product: Product): Promise<void> {
  const message = createMessage('ProductUpdated', productFields(product), {
    source: catalogSource,
    correlationId: product.id,
  });
  await emit(tx, message);
}
