import { uniqueName, waitFor } from '../src';

describe('waitFor', () => {
  test('when the condition gives a value, then it resolves with that value', async () => {
    let calls = 0;

    const value = await waitFor(() => (++calls < 3 ? undefined : { calls }), { intervalMs: 1 });

    expect(value).toEqual({ calls: 3 });
  });

  test('when the deadline passes, then it fails naming what it waited for and the last value', async () => {
    let calls = 0;

    await expect(
      waitFor(() => (++calls > 0 ? false : 'never'), {
        timeoutMs: 30,
        intervalMs: 5,
        what: 'the order to be CONFIRMED',
      }),
    ).rejects.toThrow(/waiting for the order to be CONFIRMED; last saw false/);
  });

  test('when the condition keeps throwing, then the failure carries the last error', async () => {
    const failing = waitFor(
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 20, intervalMs: 5 },
    );

    await expect(failing).rejects.toThrow(/last saw the error .*connection refused/s);
    await expect(failing).rejects.toHaveProperty('cause.message', 'connection refused');
  });
});

test('when two unique names are made with one prefix, then they differ and keep the prefix', () => {
  const [a, b] = [uniqueName('group'), uniqueName('group')];

  expect(a).not.toBe(b);
  expect(a).toMatch(/^group-[0-9a-z]+-[0-9a-f]{6}$/);
});
