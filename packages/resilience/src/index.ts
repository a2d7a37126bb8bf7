export { Breaker, breakerDefaults, createBreaker, isClientError } from './breaker';
export type {
  BreakerAction,
  BreakerEvent,
  BreakerFallback,
  BreakerOptions,
  BreakerState,
  BreakerStats,
} from './breaker';
export { BreakerRegistry, defaultBreakerRegistry } from './breaker-registry';
export type { BreakerSnapshot, BreakerTransition, RegisteredBreaker } from './breaker-registry';
export { fullJitterDelay, isTransient, retryWithJitter } from './retry';
export type { RetryOptions } from './retry';
export { codeForClientStatus, createHttpClient } from './http-client';
export type { HttpClient, HttpClientOptions, HttpRequest, RequestOptions } from './http-client';
export { exchange } from './http-exchange';
export type { HttpAnswer, HttpExchangeRequest } from './http-exchange';
