import { inspect } from 'node:util';

export interface WaitForOptions {
  /** How long to keep trying; a test's own timeout should leave room for it. */
  timeoutMs?: number;
  intervalMs?: number;
  /** What is waited for, in words, for the failure message. */
  what?: string;
}

/**
 * Polls `condition` until it returns something other than `false` or `undefined`, and resolves
 * with that. At the deadline it fails, naming what it waited for and the last value (or error)
 * the condition gave, so a failing test says where things stood, not only that time ran out.
 */
export async function waitFor<T>(
  condition: () => Promise<T | false | undefined> | T | false | undefined,
  { timeoutMs = 30_000, intervalMs = 50, what = 'the condition' }: WaitForOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown } | undefined;
  for (;;) {
    try {
      const result = await condition();
      if (result !== false && result !== undefined) return result;
      last = { value: result };
    } catch (error) {
      last = { error };
    }
    if (Date.now() > deadline) {
      const seen =
        last === undefined
          ? 'nothing'
          : 'error' in last
            ? `the error ${inspect(last.error, { depth: 2 })}`
            : inspect(last.value, { depth: 4 });
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last saw ${seen}`, {
        cause: last && 'error' in last ? last.error : undefined,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
