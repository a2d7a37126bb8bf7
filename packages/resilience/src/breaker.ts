import CircuitBreaker from 'opossum';
import { AppError, isAppError } from '@shop/service-kit';
import { defaultBreakerRegistry } from './breaker-registry';
import type { BreakerRegistry } from './breaker-registry';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerStats {
  fires: number;
  failures: number;
  timeouts: number;
  rejects: number;
  successes: number;
}

/** What a breaker reports to its registry, named the way the metrics label them. */
export type BreakerEvent =
  | 'fire'
  | 'success'
  | 'failure'
  | 'timeout'
  | 'reject'
  | 'fallback'
  | 'open'
  | 'half_open'
  | 'close';

/** The protected call. It must stop its work when `signal` aborts (pass it to the request). */
export type BreakerAction<A extends unknown[], R> = (signal: AbortSignal, ...args: A) => Promise<R>;

/** Receives the call's arguments and the error (an AppError when the breaker is open or timed out). */
export type BreakerFallback<A extends unknown[], R> = (
  error: unknown,
  ...args: A
) => R | Promise<R>;

export interface BreakerOptions<A extends unknown[] = unknown[], R = unknown> {
  /** Per-call budget in ms. Keep it below the caller's own timeout so we answer before it gives up. */
  timeoutMs?: number;
  /** The breaker opens when failures exceed this share of the calls in the rolling window. */
  errorThresholdPercentage?: number;
  /** Calls needed in the rolling window before the breaker may open at all. */
  volumeThreshold?: number;
  /** Length of the rolling statistics window in ms. */
  rollingWindowMs?: number;
  /** How many buckets the rolling window is divided into. */
  rollingWindowBuckets?: number;
  /** How long the breaker stays open before letting one probe call through (half-open), in ms. */
  resetTimeoutMs?: number;
  /** Concurrent calls allowed; more are rejected at once instead of piling up on a slow upstream. */
  capacity?: number;
  fallback?: BreakerFallback<A, R>;
  /** Where the breaker is listed for health and metrics; `defaultBreakerRegistry` when omitted. */
  registry?: BreakerRegistry;
}

/**
 * Defaults, and why:
 * - timeout 2 s: the gateway and services give a request ~5 s; a dependency must answer well inside it.
 * - 50 % errors: the usual Hystrix/opossum threshold; lower flaps on a couple of unlucky calls.
 * - volume 10: opossum's default 0 lets the very first failure open the breaker.
 * - window 10 s in 10 buckets: opossum's default; long enough to hold the volume at modest traffic.
 * - reset 10 s: opossum's 30 s keeps a recovered upstream cut off for long; probes are cheap.
 */
export const breakerDefaults = {
  timeoutMs: 2_000,
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  rollingWindowMs: 10_000,
  rollingWindowBuckets: 10,
  resetTimeoutMs: 10_000,
} as const;

/** An error the caller caused (bad input, not found, conflict): it says nothing about the upstream's health. */
export function isClientError(error: unknown): boolean {
  if (isAppError(error)) return error.status < 500;
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { countsAsFailure?: unknown }).countsAsFailure === false
  );
}

type Listener = (event: BreakerEvent) => void;

export class Breaker<A extends unknown[] = unknown[], R = unknown> {
  private readonly circuit: CircuitBreaker<[AbortController, ...A], R>;
  private readonly listeners: Listener[] = [];
  private readonly resetTimeoutMs: number;
  private readonly timeoutMs: number;
  private openedAt = 0;

  constructor(
    readonly name: string,
    action: BreakerAction<A, R>,
    options: BreakerOptions<A, R> = {},
  ) {
    const settings = { ...breakerDefaults, ...withoutUndefined(options) };
    this.resetTimeoutMs = settings.resetTimeoutMs;
    this.timeoutMs = settings.timeoutMs;
    // Opossum's own `abortController` option is ONE controller for the whole breaker: the first
    // timeout aborts every call in flight and every later call starts with a dead signal. So each
    // call gets its own controller, passed as the first argument, and only that one is aborted.
    this.circuit = new CircuitBreaker(
      (controller: AbortController, ...args: A) => action(controller.signal, ...args),
      {
        name,
        timeout: settings.timeoutMs,
        errorThresholdPercentage: settings.errorThresholdPercentage,
        volumeThreshold: settings.volumeThreshold,
        rollingCountTimeout: settings.rollingWindowMs,
        rollingCountBuckets: settings.rollingWindowBuckets,
        resetTimeout: settings.resetTimeoutMs,
        ...(settings.capacity === undefined ? {} : { capacity: settings.capacity }),
        errorFilter: isClientError,
      },
    );
    this.circuit.on('timeout', (...eventArgs: unknown[]) => {
      // Opossum passes (error, latency, args) at runtime; its type declarations only name the error.
      const [controller] = eventArgs[2] as [AbortController];
      controller.abort(this.timeoutError());
    });
    this.circuit.on('open', () => {
      this.openedAt = Date.now();
    });
    if (options.fallback) {
      const fallback = options.fallback;
      this.circuit.fallback((...fallbackArgs: unknown[]) => {
        const error = fallbackArgs.pop();
        const callArgs = fallbackArgs.slice(1) as A;
        return fallback(this.translate(error), ...callArgs);
      });
    }
    this.forwardEvents();
    (options.registry ?? defaultBreakerRegistry).register(this);
  }

  /**
   * Calls the action through the breaker. Rejects with UPSTREAM_UNAVAILABLE when open (retryAfterMs in
   * ms until the half-open probe) and UPSTREAM_TIMEOUT when the call ran out of time; the action's own
   * errors pass through unchanged. With a fallback, these failures resolve to its value instead.
   */
  async fire(...args: A): Promise<R> {
    try {
      return await this.circuit.fire(new AbortController(), ...args);
    } catch (error) {
      throw this.translate(error);
    }
  }

  state(): BreakerState {
    if (this.circuit.opened) return 'open';
    if (this.circuit.halfOpen) return 'half-open';
    return 'closed';
  }

  /** Counts over the rolling window, the same numbers the breaker decides on. */
  stats(): BreakerStats {
    const { fires, failures, timeouts, rejects, successes } = this.circuit.stats;
    return { fires, failures, timeouts, rejects, successes };
  }

  /** Milliseconds until an open breaker lets its half-open probe through; 0 when not open. */
  msUntilHalfOpen(): number {
    if (!this.circuit.opened) return 0;
    return Math.max(0, this.openedAt + this.resetTimeoutMs - Date.now());
  }

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Stops the breaker's timers; later calls reject. */
  shutdown(): void {
    this.circuit.shutdown();
  }

  private forwardEvents(): void {
    const emit = (event: BreakerEvent) => () =>
      this.listeners.forEach((listener) => listener(event));
    this.circuit.on('fire', emit('fire'));
    this.circuit.on('success', emit('success'));
    this.circuit.on('failure', emit('failure'));
    this.circuit.on('timeout', emit('timeout'));
    this.circuit.on('reject', emit('reject'));
    this.circuit.on('fallback', emit('fallback'));
    this.circuit.on('open', emit('open'));
    this.circuit.on('halfOpen', emit('half_open'));
    this.circuit.on('close', emit('close'));
  }

  private translate(error: unknown): unknown {
    if (!(error instanceof Error) || !CircuitBreaker.isOurError(error)) return error;
    const code = (error as Error & { code?: string }).code;
    switch (code) {
      case 'ETIMEDOUT':
        return this.timeoutError();
      case 'EOPENBREAKER':
        return new AppError('UPSTREAM_UNAVAILABLE', `${this.name} is unavailable (circuit open)`, {
          retryAfterMs: this.msUntilHalfOpen(),
          cause: error,
        });
      case 'ESEMLOCKED':
        return new AppError('UPSTREAM_UNAVAILABLE', `${this.name} has too many calls in flight`, {
          cause: error,
        });
      default:
        return new AppError('UPSTREAM_UNAVAILABLE', `${this.name} breaker: ${error.message}`, {
          cause: error,
        });
    }
  }

  private timeoutError(): AppError {
    return new AppError(
      'UPSTREAM_TIMEOUT',
      `${this.name} did not answer within ${this.timeoutMs} ms`,
    );
  }
}

export function createBreaker<A extends unknown[], R>(
  name: string,
  action: BreakerAction<A, R>,
  options: BreakerOptions<A, R> = {},
): Breaker<A, R> {
  return new Breaker(name, action, options);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
