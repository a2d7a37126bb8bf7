import { randomUUID } from 'node:crypto';
import type { Answer, GatewayClient } from '../src/chaos/gateway-client';
import { retryDelayMs, startLoad, type Shopper } from '../src/chaos/load';
import { Timeline } from '../src/chaos/timeline';

/** A shop that accepts every checkout and confirms it `confirmAfterMs` later. */
function fakeShop(confirmAfterMs: number): GatewayClient & { placed: number } {
  const orders = new Map<string, number>();
  const answer = (status: number, body: unknown): Answer => ({
    status,
    body,
    headers: new Headers(),
  });
  const shop = {
    placed: 0,
    request(_operation: string, method: string, path: string): Promise<Answer> {
      if (method === 'GET' && path === '/api/cart')
        return Promise.resolve(answer(200, { items: [] }));
      if (method === 'POST' && path === '/api/cart/items') return Promise.resolve(answer(200, {}));
      if (method === 'POST' && path === '/api/orders') {
        const id = randomUUID();
        orders.set(id, Date.now());
        shop.placed += 1;
        return Promise.resolve(answer(202, { id }));
      }
      const placedAt = orders.get(path.split('/').pop()!);
      if (method === 'GET' && placedAt !== undefined) {
        const done = Date.now() - placedAt >= confirmAfterMs;
        return Promise.resolve(answer(200, { status: done ? 'CONFIRMED' : 'PENDING' }));
      }
      return Promise.resolve(answer(404, {}));
    },
  };
  return shop;
}

const shoppers = (count: number): Shopper[] =>
  Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    email: `open-loop-${index}@example.test`,
    token: `token-${index}`,
  }));

describe('the open-loop load', () => {
  it('when arrivals outpace the shoppers, then checkouts start on the clock and the surplus is counted, not queued', async () => {
    const client = fakeShop(200);
    const load = startLoad({
      client,
      shoppers: shoppers(2),
      products: [
        { id: randomUUID(), sku: 'OPEN-1', priceCents: 100, initialStock: 1_000, scarce: false },
      ],
      declineShare: 0,
      maxOrdersPerShopper: 1_000,
      timeline: new Timeline(),
      arrivalsPerSecond: 20,
    });

    await new Promise((resolve) => setTimeout(resolve, 500));
    load.stopPlacing();
    const outcome = await load.finished;

    // ~10 arrivals in 0.5 s; each checkout keeps its shopper for a second (the follow poll).
    expect(client.placed).toBe(2);
    expect(outcome.acknowledged).toHaveLength(2);
    expect(outcome.noIdleShopper).toBeGreaterThanOrEqual(7);
    expect(outcome.noIdleShopper).toBeLessThanOrEqual(10);
  });
});

describe('a careful client’s retry of a refused checkout', () => {
  const refused = (retryAfter?: string) => ({
    headers: new Headers(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
  });

  test('when the shop says nothing, then it backs off exponentially from 250 ms to 4 s', () => {
    expect([0, 1, 2, 4, 8].map((attempt) => retryDelayMs(refused(), attempt))).toEqual([
      250, 500, 1_000, 4_000, 4_000,
    ]);
  });

  test('when the shop sends Retry-After, then it waits at least that long', () => {
    expect(retryDelayMs(refused('3'), 0)).toBe(3_000);
    expect(retryDelayMs(refused('1'), 4)).toBe(4_000);
    expect(retryDelayMs(refused('soon'), 0)).toBe(250);
  });
});
