import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@shop/service-kit';
import { fullJitterDelay, isTransient, retryWithJitter } from '../src';

function failingThen<T>(errors: Error[], value: T) {
  let calls = 0;
  const fn = () => {
    const error = errors[calls++];
    return error === undefined ? Promise.resolve(value) : Promise.reject(error);
  };
  return { fn, calls: () => calls };
}

const quick = { baseDelayMs: 1, maxDelayMs: 5 };

describe('retryWithJitter', () => {
  test('when retriable errors are followed by success, then the value is returned', async () => {
    const upstream = failingThen(
      [new AppError('UPSTREAM_UNAVAILABLE'), new AppError('UPSTREAM_TIMEOUT')],
      'ok',
    );

    const result = await retryWithJitter(upstream.fn, { retries: 3, ...quick });

    expect(result).toBe('ok');
    expect(upstream.calls()).toBe(3);
  });

  test('when the error is not retriable, then it is thrown after one call', async () => {
    const notFound = new AppError('NOT_FOUND');
    const upstream = failingThen([notFound], 'ok');

    await expect(retryWithJitter(upstream.fn, { retries: 3, ...quick })).rejects.toBe(notFound);
    expect(upstream.calls()).toBe(1);
  });

  test('when every attempt fails, then it stops after the bound and throws the last error', async () => {
    const errors = Array.from(
      { length: 10 },
      (_, i) => new AppError('UPSTREAM_UNAVAILABLE', `#${i}`),
    );
    const upstream = failingThen(errors, 'never');

    await expect(retryWithJitter(upstream.fn, { retries: 3, ...quick })).rejects.toBe(errors[3]);
    expect(upstream.calls()).toBe(4);
  });

  test('when retrying, then every delay lies within [0, cap]', async () => {
    const delays: number[] = [];
    const upstream = failingThen(
      Array.from({ length: 8 }, () => new AppError('UPSTREAM_UNAVAILABLE')),
      'ok',
    );

    await retryWithJitter(upstream.fn, {
      retries: 8,
      baseDelayMs: 1,
      maxDelayMs: 8,
      onRetry: ({ delayMs }) => delays.push(delayMs),
    });

    expect(delays).toHaveLength(8);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(8);
    }
  });

  test('when the jitter is at its extremes, then the delay spans 0 up to the capped exponential', () => {
    expect(fullJitterDelay(3, 100, 10_000, () => 0)).toBe(0);
    expect(fullJitterDelay(3, 100, 10_000, () => 0.999999)).toBe(799);
    expect(fullJitterDelay(20, 100, 10_000, () => 0.999999)).toBe(9_999);
  });

  test('when the signal aborts during the wait, then it rejects with the reason at once', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const upstream = failingThen(
      Array.from({ length: 5 }, () => new AppError('UPSTREAM_UNAVAILABLE')),
      'ok',
    );

    const run = retryWithJitter(upstream.fn, {
      retries: 5,
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      signal: controller.signal,
      onRetry: () => setImmediate(() => controller.abort(reason)),
    });

    await expect(run).rejects.toBe(reason);
    expect(upstream.calls()).toBe(1);
  });

  test('when fetch cannot connect, then the error counts as transient', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));

    const error: unknown = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);

    expect(isTransient(error)).toBe(true);
    expect(isTransient(new Error('a bug'))).toBe(false);
  });
});
