export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": at least half the exponential step, so retries never
 * come back at once, and a random other half, so many failing consumers spread out
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
export function backoffDelay(attempt: number, { baseMs, maxMs }: Backoff): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}
