import { AppError } from '@shop/service-kit';
import { Registry } from 'prom-client';
import { BreakerRegistry, createBreaker } from '../src';
import { waitFor } from '@shop/testkit';

let registry: BreakerRegistry;

beforeEach(() => {
  registry = new BreakerRegistry();
});

afterEach(() => {
  registry.shutdown();
});

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

const failing = () => Promise.reject(new AppError('UPSTREAM_UNAVAILABLE', 'down'));

describe('circuit breaker', () => {
  test('when a call times out, then its own signal aborts and other calls in flight keep theirs', async () => {
    const signals = new Map<string, AbortSignal>();
    const breaker = createBreaker(
      'slow',
      (signal: AbortSignal, role: 'hangs' | 'bystander') => {
        signals.set(role, signal);
        if (role === 'hangs') return untilAborted(signal);
        // Answers the moment the other call is aborted, reporting whether its own signal survived.
        return new Promise<string>((resolve) =>
          signals
            .get('hangs')!
            .addEventListener('abort', () =>
              resolve(signal.aborted ? 'aborted too' : 'still live'),
            ),
        );
      },
      { timeoutMs: 100, registry },
    );

    const hanging = breaker.fire('hangs').catch((error: unknown) => error);
    const bystander = breaker.fire('bystander');

    const timedOut = (await hanging) as AppError;
    expect(timedOut).toBeInstanceOf(AppError);
    expect(timedOut.code).toBe('UPSTREAM_TIMEOUT');
    expect(signals.get('hangs')!.aborted).toBe(true);
    await expect(bystander).resolves.toBe('still live');
  });

  test('when a later call starts after a timeout, then it gets a live signal', async () => {
    const signals: AbortSignal[] = [];
    const breaker = createBreaker(
      'slow',
      (signal: AbortSignal) => {
        signals.push(signal);
        return signals.length === 1 ? untilAborted(signal) : Promise.resolve('ok');
      },
      { timeoutMs: 50, registry },
    );
    await breaker.fire().catch(() => undefined);

    await breaker.fire();

    expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);
  });

  test('when an error is flagged countsAsFailure false, then it never opens the breaker', async () => {
    const breaker = createBreaker(
      'picky',
      () => Promise.reject(Object.assign(new Error('out of stock'), { countsAsFailure: false })),
      { volumeThreshold: 1, registry },
    );

    for (let i = 0; i < 5; i++) await breaker.fire().catch(() => undefined);

    expect(breaker.state()).toBe('closed');
    expect(breaker.stats().failures).toBe(0);
  });

  test('when the breaker is open, then the fallback answers without calling the action', async () => {
    let calls = 0;
    const fallbackErrors: unknown[] = [];
    const breaker = createBreaker(
      'catalog',
      (_signal: AbortSignal, id: string) => {
        calls++;
        return failing().then(() => id);
      },
      {
        volumeThreshold: 2,
        resetTimeoutMs: 5_000,
        registry,
        fallback: (error, id) => {
          fallbackErrors.push(error);
          return `snapshot of ${id}`;
        },
      },
    );
    await breaker.fire('p1');
    await breaker.fire('p1');
    expect(breaker.state()).toBe('open');

    const answer = await breaker.fire('p2');

    expect(answer).toBe('snapshot of p2');
    expect(calls).toBe(2);
    const openError = fallbackErrors.at(-1) as AppError;
    expect(openError.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(openError.retryAfterMs).toBeGreaterThan(0);
  });

  test('when breakers are registered, then the snapshot lists their state and stats', async () => {
    const healthy = createBreaker('cart', () => Promise.resolve('ok'), { registry });
    const broken = createBreaker('catalog', failing, { volumeThreshold: 1, registry });
    await healthy.fire();
    await broken.fire().catch(() => undefined);
    await broken.fire().catch(() => undefined);

    const snapshot = registry.snapshot();

    expect(snapshot).toEqual([
      {
        name: 'cart',
        state: 'closed',
        stats: { fires: 1, failures: 0, timeouts: 0, rejects: 0, successes: 1 },
        transitions: [],
      },
      {
        name: 'catalog',
        state: 'open',
        stats: { fires: 2, failures: 1, timeouts: 0, rejects: 1, successes: 0 },
        transitions: [{ to: 'open', at: expect.any(Date) as Date }],
      },
    ]);
  });

  test('when a breaker opens, half-opens and closes, then the registry lists those transitions in order, keeping the latest ten', async () => {
    let healthy = false;
    const breaker = createBreaker('catalog', () => (healthy ? Promise.resolve('ok') : failing()), {
      volumeThreshold: 1,
      resetTimeoutMs: 50,
      registry,
    });
    const cycle = async () => {
      healthy = false;
      await breaker.fire().catch(() => undefined);
      await waitFor(() => breaker.state() === 'half-open', { what: 'half-open' });
      healthy = true;
      await breaker.fire();
    };

    await cycle();
    expect(registry.transitions('catalog').map((transition) => transition.to)).toEqual([
      'open',
      'half-open',
      'closed',
    ]);
    const times = registry.transitions('catalog').map((transition) => transition.at.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    for (let round = 0; round < 3; round += 1) await cycle();
    const kept = registry.transitions('catalog').map((transition) => transition.to);
    expect(kept).toHaveLength(10);
    expect(kept.at(-1)).toBe('closed');
    expect(registry.transitions('cart')).toEqual([]);
  });

  test('when the breaker opens and closes again, then the metrics follow its state and count events', async () => {
    const metrics = new Registry();
    registry.exposeMetrics(metrics);
    let healthy = false;
    const breaker = createBreaker('catalog', () => (healthy ? Promise.resolve('ok') : failing()), {
      volumeThreshold: 1,
      resetTimeoutMs: 200,
      registry,
    });
    const stateValue = async () =>
      (await metrics.getSingleMetric('circuit_breaker_state')!.get()).values[0]?.value;
    const eventCount = async (event: string) =>
      (await metrics.getSingleMetric('circuit_breaker_events_total')!.get()).values.find(
        (sample) => sample.labels.event === event,
      )?.value ?? 0;

    expect(await stateValue()).toBe(0);
    await breaker.fire().catch(() => undefined);
    expect(await stateValue()).toBe(2);
    await waitFor(() => breaker.state() === 'half-open', { intervalMs: 10 });
    expect(await stateValue()).toBe(1);
    healthy = true;
    await breaker.fire();

    expect(await stateValue()).toBe(0);
    expect(await eventCount('open')).toBe(1);
    expect(await eventCount('half_open')).toBe(1);
    expect(await eventCount('close')).toBe(1);
    expect(await eventCount('failure')).toBe(1);
    expect(await eventCount('fire')).toBe(2);
    const text = await metrics.metrics();
    expect(text).toContain('circuit_breaker_state{breaker="catalog"} 0');
  });
});
