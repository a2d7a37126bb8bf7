import { randomUUID } from 'node:crypto';
import { createMessage, type CartItem, type Product } from '@shop/contracts';
import { cartOf, kafka, startCart, type CartUnderTest } from './support/environment';
import { orderConfirmed } from './support/messages';
import { waitFor } from '@shop/testkit';

jest.setTimeout(60_000);

let cart: CartUnderTest;

beforeAll(async () => {
  cart = await startCart();
});

afterAll(async () => {
  await cart.close();
});

async function customer() {
  const id = randomUUID();
  const token = await cart.customer(id);
  return {
    id,
    add: (productId: string, quantity: number) =>
      cart
        .api()
        .post('/api/cart/items')
        .auth(token, { type: 'bearer' })
        .send({ productId, quantity })
        .expect(200),
    lines: async (): Promise<CartItem[]> =>
      cartOf(await cart.api().get('/api/cart').auth(token, { type: 'bearer' }).expect(200)).items,
  };
}

function ordered(product: Product, quantity: number) {
  return {
    productId: product.id,
    sku: product.sku,
    name: product.name,
    unitPriceCents: product.priceCents,
    quantity,
  };
}

test('when an order is confirmed, then exactly its items leave the cart and a redelivery has no second effect', async () => {
  const buyer = await customer();
  const [keyboard, mouse, cable] = [cart.catalog.add(), cart.catalog.add(), cart.catalog.add()];
  await buyer.add(keyboard.id, 2);
  await buyer.add(mouse.id, 1);
  const confirmed = orderConfirmed(buyer.id, [ordered(keyboard, 2), ordered(mouse, 1)]);
  // Added after the order was placed: these must survive its confirmation.
  await buyer.add(keyboard.id, 1);
  await buyer.add(cable.id, 1);
  // A later message on the same partition (same order id as key) tells when the duplicate is past.
  const bystander = await customer();
  const marker = cart.catalog.add();
  await bystander.add(marker.id, 1);
  const sentinel = createMessage(
    'OrderConfirmed',
    { ...confirmed.payload, customerId: bystander.id, items: [ordered(marker, 1)] },
    { source: 'order', correlationId: confirmed.payload.orderId },
  );

  await kafka.publish(confirmed, confirmed, sentinel);

  await waitFor(async () => (await bystander.lines()).length === 0, {
    what: 'the sentinel to be applied',
    timeoutMs: 45_000,
  });
  expect(await buyer.lines()).toEqual([
    expect.objectContaining({ productId: keyboard.id, quantity: 1 }),
    expect.objectContaining({ productId: cable.id, quantity: 1 }),
  ]);
  const inboxKey = `${cart.config.CART_KEY_PREFIX}inbox:cart:${confirmed.id}`;
  expect(await cart.redis.pttl(inboxKey)).toBeGreaterThan(0);
});

test('when the catalog announces a new price, then the cart shows it without asking the catalog', async () => {
  const buyer = await customer();
  const product = cart.catalog.add({ priceCents: 1_000 });
  await buyer.add(product.id, 2);
  const requestsBefore = cart.catalog.requests.length;
  const { id: productId, sku, name, description, category, currency, imageUrl } = product;

  await kafka.publish(
    createMessage(
      'ProductUpdated',
      { productId, sku, name, description, category, currency, imageUrl, priceCents: 1_200 },
      { source: 'catalog', correlationId: productId },
    ),
  );

  const lines = await waitFor(
    async () => {
      const current = await buyer.lines();
      return current[0]?.unitPriceCents === 1_200 && current;
    },
    { what: 'the new price in the cart', timeoutMs: 45_000 },
  );
  expect(lines).toEqual([
    expect.objectContaining({ productId, quantity: 2, lineTotalCents: 2_400 }),
  ]);
  expect(cart.catalog.requests.length).toBe(requestsBefore);
});
