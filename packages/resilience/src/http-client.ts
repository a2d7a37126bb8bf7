import { AppError } from '@shop/service-kit';
import type { ErrorCode, FieldError } from '@shop/service-kit';
import type { z } from 'zod';
import { createBreaker } from './breaker';
import type { Breaker, BreakerOptions } from './breaker';
import type { BreakerRegistry } from './breaker-registry';
import { exchange, type HttpAnswer } from './http-exchange';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions<T> {
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Validates the answer; a body that does not match is treated as a broken upstream. */
  schema?: z.ZodType<T>;
  /** The caller giving up (e.g. its own client disconnected); not held against the upstream. */
  signal?: AbortSignal;
}

export interface HttpRequest {
  method: Method;
  path: string;
  options: RequestOptions<unknown>;
}

export interface HttpClientOptions {
  /** Names the breaker and the metrics label, e.g. 'catalog'. */
  name: string;
  baseUrl: string;
  /** The breaker's per-call timeout. */
  timeoutMs?: number;
  breaker?: Omit<BreakerOptions, 'timeoutMs' | 'registry' | 'fallback'>;
  registry?: BreakerRegistry;
  /** Sent with every request. */
  headers?: Record<string, string>;
}

export interface HttpClient {
  get<T = unknown>(path: string, options?: RequestOptions<T>): Promise<T>;
  post<T = unknown>(path: string, options?: RequestOptions<T>): Promise<T>;
  put<T = unknown>(path: string, options?: RequestOptions<T>): Promise<T>;
  delete<T = unknown>(path: string, options?: RequestOptions<T>): Promise<T>;
  readonly breaker: Breaker<[HttpRequest], unknown>;
}

/**
 * A JSON client for one upstream, every call through its own circuit breaker. 2xx → the parsed body;
 * 4xx → the matching AppError (the caller's fault, never opens the breaker); 5xx, network errors and
 * malformed answers → UPSTREAM_UNAVAILABLE; no answer in time → UPSTREAM_TIMEOUT, the request aborted.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const breaker = createBreaker(
    options.name,
    (signal: AbortSignal, request: HttpRequest) => send(signal, request),
    {
      ...options.breaker,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.registry === undefined ? {} : { registry: options.registry }),
    },
  );

  async function send(breakerSignal: AbortSignal, request: HttpRequest): Promise<unknown> {
    const callerSignal = request.options.signal;
    const signal = callerSignal ? AbortSignal.any([breakerSignal, callerSignal]) : breakerSignal;
    const body =
      request.options.body === undefined ? undefined : JSON.stringify(request.options.body);
    let answer: HttpAnswer;
    try {
      answer = await exchange(new URL(`${baseUrl}${request.path}`), {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
          ...request.options.headers,
        },
        body,
        signal,
      });
    } catch (error) {
      if (callerSignal?.aborted && !breakerSignal.aborted) throw callerGaveUp(callerSignal);
      throw new AppError('UPSTREAM_UNAVAILABLE', `${options.name} could not be reached`, {
        cause: error,
      });
    }
    const parsed = parseJson(answer);
    if (isSuccess(answer)) return validate(parsed, request.options.schema);
    throw errorFromAnswer(answer, parsed);
  }

  function parseJson(answer: HttpAnswer): unknown {
    if (answer.text === '') return undefined;
    try {
      return JSON.parse(answer.text) as unknown;
    } catch (error) {
      if (!isSuccess(answer)) return undefined;
      throw new AppError('UPSTREAM_UNAVAILABLE', `${options.name} answered with invalid JSON`, {
        cause: error,
      });
    }
  }

  function validate(body: unknown, schema: z.ZodType | undefined): unknown {
    if (!schema) return body;
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    throw new AppError('UPSTREAM_UNAVAILABLE', `${options.name} answered with an unexpected body`, {
      cause: result.error,
    });
  }

  function errorFromAnswer(answer: HttpAnswer, body: unknown): AppError {
    if (answer.status >= 500) {
      return new AppError('UPSTREAM_UNAVAILABLE', `${options.name} answered ${answer.status}`);
    }
    const problem = asProblem(body);
    const retryAfterSeconds = Number(answer.headers['retry-after'] ?? Number.NaN);
    return new AppError(codeForClientStatus(answer.status), problem.detail, {
      ...(problem.errors ? { errors: problem.errors } : {}),
      ...(Number.isFinite(retryAfterSeconds) ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
    });
  }

  function call(method: Method) {
    return <T>(path: string, requestOptions: RequestOptions<T> = {}): Promise<T> =>
      breaker.fire({ method, path, options: requestOptions }) as Promise<T>;
  }

  return {
    get: call('GET'),
    post: call('POST'),
    put: call('PUT'),
    delete: call('DELETE'),
    breaker,
  };
}

const clientStatusCodes: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
};

/** Other 4xx statuses (405, 410, …) have no code of their own; they are still a request the upstream refused. */
export function codeForClientStatus(status: number): ErrorCode {
  return clientStatusCodes[status] ?? 'VALIDATION';
}

/** The upstream speaks RFC 9457 too; its detail and field errors are already safe to show a client. */
function asProblem(body: unknown): { detail?: string; errors?: FieldError[] } {
  if (typeof body !== 'object' || body === null) return {};
  const { detail, errors } = body as { detail?: unknown; errors?: unknown };
  return {
    ...(typeof detail === 'string' ? { detail } : {}),
    ...(Array.isArray(errors) ? { errors: errors.filter(isFieldError) } : {}),
  };
}

function isFieldError(value: unknown): value is FieldError {
  const candidate = value as Partial<FieldError> | null;
  return typeof candidate?.path === 'string' && typeof candidate.message === 'string';
}

function callerGaveUp(signal: AbortSignal): Error {
  return Object.assign(new Error('the caller cancelled the request', { cause: signal.reason }), {
    countsAsFailure: false,
  });
}

const isSuccess = (answer: HttpAnswer) => answer.status >= 200 && answer.status < 300;
