import {
  allOrders,
  everyOrder,
  reconciliationSummary,
  type OrderView,
} from '../src/chaos/evidence';
import type { Answer, GatewayClient } from '../src/chaos/gateway-client';
import type { Shopper } from '../src/chaos/load';

const shopper: Shopper = { id: 'u1', email: 'u1@example.com', token: 'token-u1' };
const order: OrderView = {
  id: 'o1',
  status: 'CONFIRMED',
  items: [],
  totalCents: 100,
  createdAt: '2026-12-07T00:00:00.000Z',
  history: [],
};

/** A gateway that gives the answers in turn (the last one again once they run out). */
function gatewayAnswering(...answers: [number, unknown?][]) {
  const asked: string[] = [];
  const client: GatewayClient = {
    request(_operation, _method, path) {
      asked.push(path);
      const [status, body] = answers[Math.min(asked.length, answers.length) - 1]!;
      return Promise.resolve<Answer>({ status, body, headers: new Headers() });
    },
  };
  return { client, asked };
}

describe('evidence read through a gateway that may still be busy', () => {
  it('when a read is refused with 503 first, then it is asked again and the evidence is whole', async () => {
    const { client, asked } = gatewayAnswering(
      [503, { status: 503 }],
      [200, { items: [order], total: 1 }],
    );

    await expect(allOrders(client, [shopper])).resolves.toEqual([order]);
    expect(asked).toHaveLength(2);
  });

  it('when a read is answered with a final status, then it is not asked again', async () => {
    const { client, asked } = gatewayAnswering([403, { status: 403 }]);

    await expect(reconciliationSummary(client, 'admin-token')).resolves.toBeUndefined();
    expect(asked).toHaveLength(1);
  });

  it('when a list is refused at every attempt, then a benchmark stops with an error instead of counting no orders', async () => {
    const { client, asked } = gatewayAnswering([503, { status: 503 }]);

    await expect(everyOrder(client, [shopper])).rejects.toThrow(/could not be read/);
    expect(asked).toHaveLength(4);
  }, 15_000);
});
