import { randomUUID } from 'node:crypto';
import { cartOf, startCart, type CartUnderTest } from './support/environment';
import { waitFor } from '@shop/testkit';

jest.setTimeout(60_000);

// One service for the file, so the tests share one breaker and run in this order: 404s first
// (breaker closed), then a hanging catalog, then a failing one that finally opens it.
let cart: CartUnderTest;

beforeAll(async () => {
  cart = await startCart({
    CATALOG_TIMEOUT: '300ms',
    CATALOG_BREAKER_VOLUME_THRESHOLD: '4',
    CATALOG_BREAKER_RESET_TIMEOUT: '60s',
  });
});

afterAll(async () => {
  await cart.close();
});

afterEach(() => {
  cart.catalog.setMode('up');
});

function add(token: string, productId: string, quantity = 1) {
  return cart
    .api()
    .post('/api/cart/items')
    .auth(token, { type: 'bearer' })
    .send({ productId, quantity });
}

async function breakerState(): Promise<number> {
  const metrics = await cart.api().get('/metrics');
  const match = /^circuit_breaker_state\{[^}]*breaker="catalog"[^}]*\} (\d+)$/m.exec(metrics.text);
  if (!match) throw new Error('no circuit_breaker_state for the catalog in /metrics');
  return Number(match[1]);
}

const closed = 0;
const open = 2;

test('when the catalog answers 404 again and again, then the breaker stays closed', async () => {
  const token = await cart.customer();

  const answers = [];
  for (let call = 0; call < 12; call += 1) answers.push((await add(token, randomUUID())).status);

  expect(answers).toEqual(Array(12).fill(404));
  expect(await breakerState()).toBe(closed);
  expect((await add(token, cart.catalog.add().id)).status).toBe(200);
});

test('when the catalog hangs, then a seen product is still added and an unseen one is 504 with Retry-After', async () => {
  const token = await cart.customer();
  const seen = cart.catalog.add();
  const unseen = cart.catalog.add();
  await add(token, seen.id, 1);
  cart.catalog.setMode('hanging');

  const seenAgain = await add(token, seen.id, 1);
  const unseenAnswer = await add(token, unseen.id, 1);

  expect(seenAgain.status).toBe(200);
  expect(cartOf(seenAgain).items).toEqual([
    expect.objectContaining({ productId: seen.id, quantity: 2 }),
  ]);
  expect(unseenAnswer.status).toBe(504);
  expect(unseenAnswer.headers['retry-after']).toMatch(/^\d+$/);
});

test('when the catalog is down, then the cart still reads and adds seen products, unseen ones are 503 with Retry-After', async () => {
  const token = await cart.customer();
  const seen = cart.catalog.add({ priceCents: 500 });
  const unseen = cart.catalog.add();
  await add(token, seen.id, 2);
  cart.catalog.setMode('failing');

  const read = await cart.api().get('/api/cart').auth(token, { type: 'bearer' });
  const seenAgain = await add(token, seen.id, 1);
  const unseenAnswer = await add(token, unseen.id, 1);

  expect(read.status).toBe(200);
  expect(cartOf(read).items).toEqual([
    expect.objectContaining({ productId: seen.id, quantity: 2, unitPriceCents: 500 }),
  ]);
  expect(seenAgain.status).toBe(200);
  expect(cartOf(seenAgain).items[0]?.quantity).toBe(3);
  expect(unseenAnswer.status).toBe(503);
  expect(unseenAnswer.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(unseenAnswer.headers['retry-after']).toMatch(/^\d+$/);
});

test('when the catalog keeps failing, then the breaker opens, unseen products fail fast and the cart stays ready', async () => {
  const token = await cart.customer();
  const seen = cart.catalog.add();
  await add(token, seen.id, 1);
  cart.catalog.setMode('unreachable');
  await waitFor(
    async () => {
      await add(token, randomUUID());
      return (await breakerState()) === open;
    },
    { what: 'the catalog breaker to open', timeoutMs: 15_000, intervalMs: 10 },
  );
  const unseen = cart.catalog.add();
  const requestsBefore = cart.catalog.requests.length;

  const unseenAnswer = await add(token, unseen.id);
  const seenAgain = await add(token, seen.id);
  const ready = await cart.api().get('/health/ready');

  expect(unseenAnswer.status).toBe(503);
  expect(Number(unseenAnswer.headers['retry-after'])).toBeGreaterThan(1);
  expect(seenAgain.status).toBe(200);
  expect(cartOf(seenAgain).items[0]?.quantity).toBe(2);
  expect(cart.catalog.requests.length).toBe(requestsBefore);
  expect(ready.status).toBe(200);
});
