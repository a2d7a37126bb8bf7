import { randomUUID } from 'node:crypto';
import { MAX_CART_LINES } from '@shop/contracts';
import { cartOf, problemOf, startCart, type CartUnderTest } from './support/environment';

jest.setTimeout(60_000);

let cart: CartUnderTest;

beforeAll(async () => {
  cart = await startCart({ CART_TTL: '2h' });
});

afterAll(async () => {
  await cart.close();
});

function add(token: string, productId: string, quantity: number) {
  return cart
    .api()
    .post('/api/cart/items')
    .auth(token, { type: 'bearer' })
    .send({ productId, quantity });
}

function getCart(token: string) {
  return cart.api().get('/api/cart').auth(token, { type: 'bearer' });
}

describe('reading the cart', () => {
  test('when a new customer reads the cart, then it is empty and names the default currency', async () => {
    const token = await cart.customer();

    const response = await getCart(token);

    expect(response.status).toBe(200);
    expect(cartOf(response)).toMatchObject({
      items: [],
      subtotalCents: 0,
      currency: 'EUR',
    });
  });

  test('when there is no token, then 401 problem', async () => {
    const response = await cart.api().get('/api/cart');

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('adding items', () => {
  test('when a product is added, then the cart shows its line priced from the catalog', async () => {
    const token = await cart.customer();
    const product = cart.catalog.add({ priceCents: 1_250 });

    const response = await add(token, product.id, 3);

    expect(response.status).toBe(200);
    expect(cartOf(response)).toMatchObject({
      items: [
        {
          productId: product.id,
          sku: product.sku,
          name: product.name,
          unitPriceCents: 1_250,
          quantity: 3,
          lineTotalCents: 3_750,
        },
      ],
      subtotalCents: 3_750,
      currency: 'EUR',
    });
    expect(cartOf(await getCart(token))).toEqual(cartOf(response));
  });

  test('when the same product is added twice, then its line adds the quantities', async () => {
    const token = await cart.customer();
    const product = cart.catalog.add({ priceCents: 100 });
    const other = cart.catalog.add({ priceCents: 1_000 });
    await add(token, product.id, 2);
    await add(token, other.id, 1);

    const response = await add(token, product.id, 5);

    expect(response.status).toBe(200);
    expect(cartOf(response).items).toEqual([
      expect.objectContaining({ productId: product.id, quantity: 7, lineTotalCents: 700 }),
      expect.objectContaining({ productId: other.id, quantity: 1, lineTotalCents: 1_000 }),
    ]);
    expect(cartOf(response).subtotalCents).toBe(1_700);
  });

  test('when a line would exceed 99 units, then 422 and the line is unchanged', async () => {
    const token = await cart.customer();
    const product = cart.catalog.add();
    await add(token, product.id, 90);

    const response = await add(token, product.id, 10);

    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(cartOf(await getCart(token)).items[0]?.quantity).toBe(90);
    expect(cartOf(await add(token, product.id, 9)).items[0]?.quantity).toBe(99);
  });

  test('when a 51st line is added, then 422 and the cart keeps its 50 lines', async () => {
    const token = await cart.customer();
    for (let line = 0; line < MAX_CART_LINES; line += 1) {
      expect((await add(token, cart.catalog.add().id, 1)).status).toBe(200);
    }

    const response = await add(token, cart.catalog.add().id, 1);

    expect(response.status).toBe(422);
    expect(cartOf(await getCart(token)).items).toHaveLength(MAX_CART_LINES);
  });

  test('when the product is unknown to the catalog, then 404', async () => {
    const token = await cart.customer();

    const response = await add(token, randomUUID(), 1);

    expect(response.status).toBe(404);
    expect(cartOf(await getCart(token)).items).toEqual([]);
  });

  test.each([
    ['a quantity of 0', { quantity: 0 }, 'quantity'],
    ['a quantity of 100', { quantity: 100 }, 'quantity'],
    ['a fractional quantity', { quantity: 1.5 }, 'quantity'],
    ['a product id that is not a UUID', { productId: 'abc' }, 'productId'],
    ['an unknown field', { priceCents: 1 }, 'priceCents'],
  ])('when the body has %s, then 400 naming the field', async (_case, change, path) => {
    const token = await cart.customer();
    const body = { productId: cart.catalog.add().id, quantity: 1, ...change };

    const response = await cart
      .api()
      .post('/api/cart/items')
      .auth(token, { type: 'bearer' })
      .send(body);

    expect(response.status).toBe(400);
    const paths = problemOf(response).errors?.map((error) => error.path);
    expect(paths?.some((errorPath) => errorPath.includes(path))).toBe(true);
  });
});

describe('changing and removing items', () => {
  test('when a quantity is set, then the line has exactly that quantity', async () => {
    const token = await cart.customer();
    const product = cart.catalog.add({ priceCents: 10 });
    await add(token, product.id, 4);

    const response = await cart
      .api()
      .put(`/api/cart/items/${product.id}`)
      .auth(token, { type: 'bearer' })
      .send({ quantity: 2 });

    expect(response.status).toBe(200);
    expect(cartOf(response).items).toEqual([
      expect.objectContaining({ productId: product.id, quantity: 2, lineTotalCents: 20 }),
    ]);
  });

  test('when a quantity is set to 0, then the line is removed', async () => {
    const token = await cart.customer();
    const product = cart.catalog.add();
    const kept = cart.catalog.add();
    await add(token, product.id, 4);
    await add(token, kept.id, 1);

    const response = await cart
      .api()
      .put(`/api/cart/items/${product.id}`)
      .auth(token, { type: 'bearer' })
      .send({ quantity: 0 });

    expect(response.status).toBe(200);
    expect(cartOf(response).items.map((item) => item.productId)).toEqual([kept.id]);
  });

  test('when the product is not in the cart, then setting its quantity is 404', async () => {
    const token = await cart.customer();

    const response = await cart
      .api()
      .put(`/api/cart/items/${cart.catalog.add().id}`)
      .auth(token, { type: 'bearer' })
      .send({ quantity: 1 });

    expect(response.status).toBe(404);
  });

  test('when the quantity is above 99 or the id is not a UUID, then 400', async () => {
    const token = await cart.customer();

    const tooMany = await cart
      .api()
      .put(`/api/cart/items/${randomUUID()}`)
      .auth(token, { type: 'bearer' })
      .send({ quantity: 100 });
    const badId = await cart
      .api()
      .put('/api/cart/items/not-a-uuid')
      .auth(token, { type: 'bearer' })
      .send({ quantity: 1 });

    expect(tooMany.status).toBe(400);
    expect(badId.status).toBe(400);
  });

  test('when a line is deleted, then 200 with the cart without it, and again 200', async () => {
    const token = await cart.customer();
    const product = cart.catalog.add();
    await add(token, product.id, 1);
    const remove = () =>
      cart.api().delete(`/api/cart/items/${product.id}`).auth(token, { type: 'bearer' });

    const first = await remove();
    const second = await remove();

    expect(first.status).toBe(200);
    expect(cartOf(first).items).toEqual([]);
    expect(second.status).toBe(200);
  });

  test('when the cart is cleared, then 204 and it reads empty', async () => {
    const token = await cart.customer();
    await add(token, cart.catalog.add().id, 1);

    const response = await cart.api().delete('/api/cart').auth(token, { type: 'bearer' });

    expect(response.status).toBe(204);
    expect(cartOf(await getCart(token)).items).toEqual([]);
  });
});

describe('one cart per customer', () => {
  test('when another customer reads or changes carts, then they only ever touch their own', async () => {
    const alice = await cart.customer();
    const bob = await cart.customer();
    const product = cart.catalog.add();
    await add(alice, product.id, 2);

    const bobsCart = await getCart(bob);
    const bobsPut = await cart
      .api()
      .put(`/api/cart/items/${product.id}`)
      .auth(bob, { type: 'bearer' })
      .send({ quantity: 9 });
    await cart.api().delete(`/api/cart/items/${product.id}`).auth(bob, { type: 'bearer' });
    await cart.api().delete('/api/cart').auth(bob, { type: 'bearer' });

    expect(cartOf(bobsCart).items).toEqual([]);
    expect(bobsPut.status).toBe(404);
    expect(cartOf(await getCart(alice)).items).toEqual([
      expect.objectContaining({ productId: product.id, quantity: 2 }),
    ]);
  });
});

describe('concurrent changes', () => {
  test('when 30 requests add one unit of the same product at once, then none is lost', async () => {
    const token = await cart.customer();
    const product = cart.catalog.add();

    const responses = await Promise.all(
      Array.from({ length: 30 }, () => add(token, product.id, 1)),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(30).fill(200));
    expect(cartOf(await getCart(token)).items).toEqual([
      expect.objectContaining({ productId: product.id, quantity: 30 }),
    ]);
  });

  test('when 20 different products are added at once, then every line is there', async () => {
    const token = await cart.customer();
    const products = Array.from({ length: 20 }, () => cart.catalog.add());

    await Promise.all(products.map((product) => add(token, product.id, 1)));

    const ids = cartOf(await getCart(token)).items.map((item) => item.productId);
    expect([...ids].sort()).toEqual(products.map((product) => product.id).sort());
  });
});

describe('expiry', () => {
  test('when the cart is written, then its key lives for CART_TTL from that write', async () => {
    const sub = randomUUID();
    const token = await cart.customer(sub);
    await add(token, cart.catalog.add().id, 1);
    const key = `${cart.config.CART_KEY_PREFIX}carts:${sub}`;
    await cart.redis.pexpire(key, 1_000);

    await add(token, cart.catalog.add().id, 1);

    const ttlMs = await cart.redis.pttl(key);
    expect(ttlMs).toBeGreaterThan(2 * 3_600_000 - 60_000);
    expect(ttlMs).toBeLessThanOrEqual(2 * 3_600_000);
  });
});

describe('health', () => {
  test('when Redis answers, then the cart is ready', async () => {
    const response = await cart.api().get('/health/ready');

    expect(response.status).toBe(200);
  });
});
