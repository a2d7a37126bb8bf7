import { overloadCapacity } from '../src/bench/overload-curve';
import type { BenchReport } from '../src/bench/report';
import { confirmedMetric } from '../src/bench/system';

function systemReport(confirmedPerSecond: number, parameters: BenchReport['parameters']) {
  return {
    benchmark: 'system',
    startedAt: '2026-12-07T10:00:00.000Z',
    parameters,
    figures: [
      { metric: 'saga latency p99', value: 900, unit: 'ms' },
      { metric: confirmedMetric, value: confirmedPerSecond, unit: 'orders/s' },
    ],
  } satisfies BenchReport;
}

describe('the capacity the overload curve offers shares of', () => {
  it('when the system benchmark ran its closed loop first, then the curve takes what it confirmed', () => {
    const earlier = [systemReport(20.6, { shoppers: 60, loadSeconds: 60 })];

    expect(overloadCapacity(earlier, {})).toMatchObject({ perSecond: 21 });
  });

  it('when the system benchmark ran an open loop, then its rate is not taken for a capacity', () => {
    const earlier = [systemReport(16.1, { arrivalsPerSecond: 16, shoppers: 320 })];

    expect(overloadCapacity(earlier, {})).toMatchObject({ perSecond: 15 });
  });

  it('when BENCH_CAPACITY is set, then it wins over any measurement', () => {
    const earlier = [systemReport(20.6, { shoppers: 60 })];

    expect(overloadCapacity(earlier, { BENCH_CAPACITY: '9' })).toMatchObject({ perSecond: 9 });
    expect(overloadCapacity([], {})).toMatchObject({ perSecond: 15 });
  });
});
