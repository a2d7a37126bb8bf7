import { randomUUID } from 'node:crypto';
import { waitFor } from '@shop/testkit';
import { admissionLimit, retryAfterMs, type AdmissionSettings } from '../src/domain/admission';
import {
  api,
  cancelByShortage,
  customerWithCart,
  placeOrder,
  startOrder,
  startSagaPlayer,
  type OrderUnderTest,
  type SagaPlayer,
} from './support/environment';

jest.setTimeout(60_000);

const settings: AdmissionSettings = {
  targetLatencyMs: 1_000,
  minLimit: 4,
  maxLimit: 100,
  windowMs: 5_000,
  refreshMs: 100,
};

describe('the admission limit (Little’s law)', () => {
  test('when 60 orders ended in the last 5 s, then the limit is 12/s × 1 s = 12 in flight', () => {
    expect(admissionLimit({ inFlight: 3, endedInWindow: 60 }, settings)).toBe(12);
  });

  test('when nothing has ended yet (idle, or just started), then the floor lets work in', () => {
    expect(admissionLimit({ inFlight: 0, endedInWindow: 0 }, settings)).toBe(4);
  });

  test('when the measured rate is huge, then the ceiling bounds the limit', () => {
    expect(admissionLimit({ inFlight: 0, endedInWindow: 10_000 }, settings)).toBe(100);
  });

  test('when a checkout is refused, then Retry-After is the time to drain the excess, 1 s to 30 s', () => {
    expect(retryAfterMs(12, 12, 12)).toBe(1_000);
    expect(retryAfterMs(60, 12, 12)).toBe(5_000);
    expect(retryAfterMs(500, 12, 0)).toBe(1_000);
    expect(retryAfterMs(10_000, 12, 1)).toBe(30_000);
  });
});

/** An order service with these settings and a saga player, up for the tests of one block. */
function orderWithSagaPlayer(env: Record<string, string>): {
  harness: OrderUnderTest;
  player: SagaPlayer;
} {
  const started = {} as { harness: OrderUnderTest; player: SagaPlayer };
  beforeAll(async () => {
    started.harness = await startOrder(env);
    started.player = await startSagaPlayer();
  }, 60_000);
  afterAll(async () => {
    await started.player?.stop();
    await started.harness?.close();
  }, 60_000);
  return started;
}

describe('admission control of new checkouts', () => {
  // A fixed limit of 2 in flight; long deadlines, so an order stays open until the test ends it.
  const started = orderWithSagaPlayer({
    ADMISSION_CONTROL: 'true',
    ADMISSION_MIN_LIMIT: '2',
    ADMISSION_MAX_LIMIT: '2',
    ADMISSION_REFRESH: '50ms',
    STEP_TIMEOUT: '5m',
    SAGA_TIMEOUT: '10m',
  });

  async function metricsText(): Promise<string> {
    return (await fetch(`${started.harness.url}/metrics`)).text();
  }

  /**
   * Until a load read that began after a checkout ended has counted it, the view counts it twice
   * at most (a read racing its commit), on purpose: it never lets too many in. A test that needs
   * an exact count waits for a read that began after every checkout it made had been answered
   * (seeing the count alone is not enough: a read that began earlier may still land after it).
   */
  async function inFlightSeen(count: number): Promise<void> {
    const since = Date.now() / 1_000;
    const inFlight = new RegExp(`^order_sagas_in_flight\\{[^}]*\\} ${count}$`, 'm');
    const readAt = /^order_admission_load_read_seconds\{[^}]*\} (\S+)$/m;
    await waitFor(
      async () => {
        const text = await metricsText();
        return Number(readAt.exec(text)?.[1]) >= since && inFlight.test(text);
      },
      { what: `the admission view to count ${count} in flight, read after the last checkout` },
    );
  }

  async function ordersStored(): Promise<{ orders: number; keys: number }> {
    const { rows } = await started.harness.pool.query<{ orders: number; keys: number }>(
      `SELECT (SELECT count(*)::int FROM orders) AS orders,
              (SELECT count(*)::int FROM idempotency_keys) AS keys`,
    );
    return rows[0]!;
  }

  test('when the pipeline is full, then a new checkout gets 503 problem+json with Retry-After and nothing is written, while a retry of a placed order still replays it and reads work; once an order ends the refused key is placed', async () => {
    const first = await customerWithCart(started.harness);
    const second = await customerWithCart(started.harness);
    const third = await customerWithCart(started.harness);
    const aKey = randomUUID();
    const a = await placeOrder(started.harness, first, { key: aKey });
    await inFlightSeen(1);
    const b = await placeOrder(started.harness, second);
    await inFlightSeen(2);
    const before = await ordersStored();
    const key = randomUUID();

    const refused = await placeOrder(started.harness, third, { key });

    expect([a.status, b.status]).toEqual([202, 202]);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body).toMatchObject({
      type: 'https://shop.example/problems/overloaded',
      status: 503,
    });
    expect(await ordersStored()).toEqual(before);
    const replayOfA = await placeOrder(started.harness, first, { key: aKey });
    expect(replayOfA.status).toBe(202);
    expect(replayOfA.headers.get('idempotent-replayed')).toBe('true');
    expect(
      (await api(started.harness, 'GET', `/api/orders/${a.body.id}`, { customer: first })).status,
    ).toBe(200);

    await cancelByShortage(started.harness, started.player, first, a.body);
    await waitFor(async () => /^order_sagas_in_flight\{[^}]*\} 1$/m.test(await metricsText()), {
      what: 'the admission view to see the ended order leave the pipeline',
    });
    const retried = await placeOrder(started.harness, third, { key });

    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    await cancelByShortage(started.harness, started.player, second, b.body);
    await cancelByShortage(started.harness, started.player, third, retried.body);
  });

  test('when identical requests (one Idempotency-Key) arrive at once at a nearly full pipeline, then they count as one checkout: one order, the others replay it', async () => {
    await waitFor(async () => /^order_sagas_in_flight\{[^}]*\} 0$/m.test(await metricsText()), {
      what: 'the admission view to see an empty pipeline',
    });
    const filler = await customerWithCart(started.harness);
    const placedFirst = await placeOrder(started.harness, filler);
    const customer = await customerWithCart(started.harness);
    await inFlightSeen(1);
    const key = randomUUID();

    const responses = await Promise.all(
      Array.from({ length: 5 }, () => placeOrder(started.harness, customer, { key })),
    );

    expect(placedFirst.status).toBe(202);
    expect(responses.map((response) => response.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    await cancelByShortage(started.harness, started.player, filler, placedFirst.body);
    await cancelByShortage(started.harness, started.player, customer, responses[0]!.body);
  });

  test('when the pipeline is full, then the shed checkouts are counted in the metrics with the limit and the load', async () => {
    // The load is read every 50 ms here: the orders the test above ended leave the count then.
    await waitFor(async () => /^order_sagas_in_flight\{[^}]*\} 0$/m.test(await metricsText()), {
      what: 'the admission view to see an empty pipeline',
    });
    const customers = await Promise.all([1, 2, 3].map(() => customerWithCart(started.harness)));
    const answers = [];
    for (const [index, customer] of customers.entries()) {
      await inFlightSeen(index);
      answers.push(await placeOrder(started.harness, customer));
    }
    const metrics = await metricsText();

    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 503]);
    expect(metrics).toMatch(/^order_admission_limit\{[^}]*\} 2$/m);
    expect(metrics).toMatch(/^order_sagas_in_flight\{[^}]*\} 2$/m);
    expect(metrics).toMatch(/^order_checkouts_shed_total\{[^}]*\} [1-9]/m);
    const view = (await (await fetch(`${started.harness.url}/admission`)).json()) as Record<
      string,
      number
    >;
    expect(view).toMatchObject({ inFlight: 2, limit: 2 });
    expect(view.shed).toBeGreaterThanOrEqual(1);
    await cancelByShortage(started.harness, started.player, customers[0]!, answers[0]!.body);
    await cancelByShortage(started.harness, started.player, customers[1]!, answers[1]!.body);
  });
});

describe('admission control told of every saga that ends', () => {
  // One place in the pipeline, and a poll so rare that it never comes during the test: only the
  // NOTIFY of an ended saga can make the load be read again.
  const started = orderWithSagaPlayer({
    ADMISSION_CONTROL: 'true',
    ADMISSION_MIN_LIMIT: '1',
    ADMISSION_MAX_LIMIT: '1',
    ADMISSION_REFRESH: '1h',
    STEP_TIMEOUT: '5m',
    SAGA_TIMEOUT: '10m',
  });

  test('when the order that fills the pipeline ends, then the next checkout is let in without waiting for a poll', async () => {
    const first = await customerWithCart(started.harness);
    const second = await customerWithCart(started.harness);
    const key = randomUUID();
    const placed = await placeOrder(started.harness, first);
    const refused = await placeOrder(started.harness, second, { key });

    await cancelByShortage(started.harness, started.player, first, placed.body);
    const letIn = await waitFor(
      async () => {
        const answer = await placeOrder(started.harness, second, { key });
        return answer.status === 202 ? answer : undefined;
      },
      { what: 'the refused checkout let in once the order before it ended', timeoutMs: 5_000 },
    );

    expect([placed.status, refused.status]).toEqual([202, 503]);
    expect(letIn.headers.get('idempotent-replayed')).toBeNull();
    await cancelByShortage(started.harness, started.player, second, letIn.body);
  });
});
