import { isAppError } from '@shop/service-kit';

export interface RetryOptions {
  /** Retries after the first attempt; `retries: 3` means at most 4 calls. */
  retries: number;
  baseDelayMs: number;
  /** Cap on any single delay. */
  maxDelayMs: number;
  /** Defaults to `isTransient`: AppErrors marked retriable and network-level failures. */
  isRetriable?: (error: unknown) => boolean;
  /** Aborting stops waiting at once and rejects with the signal's reason. */
  signal?: AbortSignal;
  onRetry?: (event: { error: unknown; attempt: number; delayMs: number }) => void;
}

/**
 * Runs `fn` until it succeeds, retrying only errors judged retriable, at most `retries` times.
 * Use it only around idempotent operations: a retried call may have taken effect the first time.
 */
export async function retryWithJitter<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const isRetriable = options.isRetriable ?? isTransient;
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= options.retries || !isRetriable(error)) throw error;
      const delayMs = fullJitterDelay(attempt, options.baseDelayMs, options.maxDelayMs);
      options.onRetry?.({ error, attempt: attempt + 1, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}

/**
 * "Full jitter": a uniformly random delay in [0, min(cap, base · 2^attempt)). Spreading retries over
 * the whole interval avoids clients retrying in lockstep against a recovering service.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function fullJitterDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

const transientNetworkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** AppErrors say themselves whether they are retriable; fetch wraps socket errors as `cause`. */
export function isTransient(error: unknown): boolean {
  if (isAppError(error)) return error.retriable;
  return networkCode(error) !== undefined;
}

function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 3; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && transientNetworkCodes.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
