import { backoffDelay } from '../src';

test('when retrying, then each delay stays within the jittered exponential step and the cap', () => {
  const backoff = { baseMs: 100, maxMs: 1_000 };

  const delays = [1, 2, 3, 10].map((attempt) => backoffDelay(attempt, backoff));

  expect(delays[0]).toBeGreaterThanOrEqual(50);
  expect(delays[0]).toBeLessThanOrEqual(100);
  expect(delays[1]).toBeGreaterThanOrEqual(100);
  expect(delays[2]).toBeLessThanOrEqual(400);
  expect(delays[3]).toBeGreaterThanOrEqual(500);
  expect(delays[3]).toBeLessThanOrEqual(1_000);
});
