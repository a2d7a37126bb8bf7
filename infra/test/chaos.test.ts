import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  defaultChaosOptions,
  experimentNamed,
  parseChaosArguments,
  runExperiment,
  startChaosBed,
  type ChaosBed,
  type ChaosOptions,
} from '../src/chaos';
import type { Evidence, OrderView } from '../src/chaos/evidence';
import { noDoubleCharge, noUnitOversold, everyOrderEnded } from '../src/chaos/invariants';
import { startLatencyProxy } from '../src/chaos/latency-proxy';
import { overloadVerdicts } from '../src/chaos/overload';
import { formatReport } from '../src/chaos/report';
import type { StockedProduct } from '../src/chaos/shop-fixture';

const product: StockedProduct = {
  id: '00000000-0000-4000-8000-000000000001',
  sku: 'CHAOS-T-1',
  priceCents: 1000,
  initialStock: 10,
  scarce: false,
};

function order(status: string, quantity: number, overrides: Partial<OrderView> = {}): OrderView {
  const createdAt = '2030-01-01T00:00:00.000Z';
  return {
    id: `00000000-0000-4000-8000-${String(Math.random()).slice(2, 14).padEnd(12, '0')}`,
    status,
    items: [{ productId: product.id, quantity }],
    totalCents: 1000 * quantity,
    createdAt,
    history: [
      { status: 'PENDING', at: createdAt },
      { status, at: '2030-01-01T00:00:05.000Z' },
    ],
    ...overrides,
  };
}

function evidence(orders: OrderView[], overrides: Partial<Evidence> = {}): Evidence {
  return {
    orders,
    acknowledged: orders.map((o) => o.id),
    summary: { inFlightOrders: 0, ordersByStatus: {}, sagasByState: {}, products: [] },
    stock: {},
    payments: {},
    confirmationEmails: {},
    ...overrides,
  };
}

describe('invariants', () => {
  test('when inventory holds fewer units than the confirmed orders leave, then "no unit oversold" fails', () => {
    const confirmed = order('CONFIRMED', 3);

    const verdict = noUnitOversold(
      evidence([confirmed], { stock: { [product.id]: { onHand: 6, reserved: 0, available: 6 } } }),
      [product],
    );

    expect(verdict.holds).toBe(false);
    expect(verdict.violations[0]).toContain('expected 10 − 3 sold = 7');
  });

  test('when a cancelled order was authorized and refunded, then "no double charge" holds', () => {
    const cancelled = order('CANCELLED', 1, { failureReason: 'TIMEOUT' });
    const payments = {
      [cancelled.id]: [
        { status: 'AUTHORIZED', amountCents: 1000, refunds: [{ amountCents: 1000 }] },
      ],
    };

    expect(noDoubleCharge(evidence([cancelled], { payments })).holds).toBe(true);
  });

  test('when a cancelled order keeps its authorization, then "no double charge" fails', () => {
    const cancelled = order('CANCELLED', 1, { failureReason: 'TIMEOUT' });
    const payments = { [cancelled.id]: [{ status: 'AUTHORIZED', amountCents: 1000, refunds: [] }] };

    expect(noDoubleCharge(evidence([cancelled], { payments })).violations).toEqual([
      `order ${cancelled.id}: CANCELLED but 1000 cents kept`,
    ]);
  });

  test('when an acknowledged order is missing from its shopper’s list, then "every order ended" fails', () => {
    const listed = order('CONFIRMED', 1);

    const verdict = everyOrderEnded(
      evidence([listed], { acknowledged: [listed.id, 'lost-order-id'] }),
      90_000,
    );

    expect(verdict.violations).toEqual([
      'order lost-order-id was acknowledged (202) but is not listed',
    ]);
  });
});

describe('overload verdicts (flash-sale)', () => {
  const window = {
    from: Date.parse('2030-01-01T00:00:00.000Z'),
    to: Date.parse('2030-01-01T00:00:10.000Z'),
    capacityPerSecond: 1,
  };
  const refusal = (retryAfterSeconds?: number) => ({
    at: window.from + 1_000,
    operation: 'place-order',
    status: 503,
    ms: 20,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
  const named = (verdicts: { invariant: string; holds: boolean }[], start: string) =>
    verdicts.find((verdict) => verdict.invariant.startsWith(start))!;

  test('when an order timed out, then "no order cancelled with TIMEOUT" fails', () => {
    const verdicts = overloadVerdicts(
      evidence([order('CANCELLED', 1, { failureReason: 'TIMEOUT' })]),
      [],
      window,
    );

    expect(named(verdicts, 'no order cancelled with TIMEOUT').holds).toBe(false);
  });

  test('when a refused checkout carries no Retry-After, then "every refused checkout says when to retry" fails', () => {
    const verdicts = overloadVerdicts(evidence([]), [refusal(2), refusal()], window);

    expect(named(verdicts, 'every refused checkout says when to retry')).toMatchObject({
      holds: false,
      figures: '2 checkouts refused, 1 with Retry-After',
    });
  });

  test('when 9 of 10 capacity-seconds confirmed during the burst, then the goodput target is met, and it is a target', () => {
    const confirmedIn = Array.from({ length: 9 }, () => order('CONFIRMED', 1));

    const goodput = named(overloadVerdicts(evidence(confirmedIn), [], window), 'goodput');

    expect(goodput).toMatchObject({ holds: true, target: true });
    expect(
      named(overloadVerdicts(evidence(confirmedIn.slice(1)), [], window), 'goodput').holds,
    ).toBe(false);
  });
});

describe('latency proxy', () => {
  test('when latency is set, then requests through the proxy arrive that much later, and at once after it is cleared', async () => {
    const upstream = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const proxy = await startLatencyProxy();
    proxy.setTarget(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    const timed = async () => {
      const started = Date.now();
      const body = await (await fetch(proxy.url)).text();
      return { body, ms: Date.now() - started };
    };
    try {
      proxy.setLatency(400);
      const slow = await timed();
      proxy.setLatency(0);
      const fast = await timed();

      expect(slow.body).toBe('ok');
      expect(slow.ms).toBeGreaterThanOrEqual(400);
      expect(fast.body).toBe('ok');
    } finally {
      await proxy.close();
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});

test('when the command line names experiments and a duration, then they are parsed', () => {
  expect(parseChaosArguments(['kill-order', '--duration', '7s', '--json', 'x.json'])).toMatchObject(
    {
      names: ['kill-order'],
      options: { faultMs: 7_000 },
    },
  );
  expect(() => parseChaosArguments(['kill-everything'])).toThrow('unknown experiment');
});

/**
 * The three service kills and a small flash sale against one testbed of the whole system, one
 * after the other, with a small load. Only the invariants are asserted: on a busy 2-core machine
 * latency and throughput say nothing. The broker outage is not here: it stops the Kafka every other test uses.
 */
describe('chaos: service kills and a flash sale under checkout load', () => {
  let chaosBed: ChaosBed;
  const options: ChaosOptions = {
    ...defaultChaosOptions,
    shoppers: 6,
    faultMs: 5_000,
    warmupMs: 2_000,
    cooldownMs: 2_000,
    settleBoundMs: 150_000,
    recoveryBoundMs: 150_000,
    echo: () => {},
  };

  beforeAll(async () => {
    chaosBed = await startChaosBed();
  }, 240_000);

  afterAll(async () => {
    await chaosBed?.stop();
  }, 120_000);

  test('when a flash sale asks for 4× capacity, then nothing is lost or oversold, no order times out in the shop’s queues and every refusal says when to retry', async () => {
    // A small sale: rates are shares of this capacity. The performance targets (goodput, refusal
    // and saga latency) are printed, not asserted: `shop chaos flash-sale` judges them.
    const report = await runExperiment(chaosBed.target, experimentNamed('flash-sale'), {
      ...options,
      capacityPerSecond: 6,
      faultMs: 8_000,
    });

    const broken = report.verdicts.filter((verdict) => !verdict.holds && !verdict.target);
    console.log(
      report.verdicts
        .filter((verdict) => verdict.target)
        .map(
          (verdict) =>
            `flash-sale ${verdict.holds ? 'met' : 'missed'}: ${verdict.invariant} — ${verdict.figures}`,
        )
        .join('\n'),
    );
    if (broken.length > 0) console.log(formatReport(report));
    expect(report.outcome.ordersAcknowledged).toBeGreaterThan(0);
    expect(report.verdicts.map((verdict) => verdict.invariant)).toContain(
      'no order cancelled with TIMEOUT',
    );
    expect(broken).toEqual([]);
  }, 420_000);

  test.each(['kill-inventory', 'kill-order', 'kill-payment'])(
    'when %s strikes mid-checkout, then no order is lost, no unit oversold, nobody charged twice and every confirmation is emailed',
    async (name) => {
      const report = await runExperiment(chaosBed.target, experimentNamed(name), options);

      const broken = report.verdicts.filter((verdict) => !verdict.holds);
      if (broken.length > 0) console.log(formatReport(report));
      expect(report.outcome.ordersAcknowledged).toBeGreaterThan(0);
      expect(broken).toEqual([]);
    },
    420_000,
  );
});
