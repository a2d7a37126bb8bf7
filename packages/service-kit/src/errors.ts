/**
 * The one error type of the system. Every failure a client can see has a code from this closed
 * set, and this table is the only place where a code becomes an HTTP status (RFC 9457 problem
 * details are rendered from it by the error middleware).
 */
export const errorCodes = {
  VALIDATION: { status: 400, title: 'Bad Request', retriable: false },
  UNAUTHENTICATED: { status: 401, title: 'Unauthorized', retriable: false },
  FORBIDDEN: { status: 403, title: 'Forbidden', retriable: false },
  NOT_FOUND: { status: 404, title: 'Not Found', retriable: false },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method Not Allowed', retriable: false },
  CONFLICT: { status: 409, title: 'Conflict', retriable: false },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload Too Large', retriable: false },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported Media Type', retriable: false },
  UNPROCESSABLE: { status: 422, title: 'Unprocessable Content', retriable: false },
  RATE_LIMITED: { status: 429, title: 'Too Many Requests', retriable: true },
  INTERNAL: { status: 500, title: 'Internal Server Error', retriable: true },
  UPSTREAM_UNAVAILABLE: { status: 503, title: 'Service Unavailable', retriable: true },
  /** Refused on purpose, before anything was written: the service is full (Retry-After says when). */
  OVERLOADED: { status: 503, title: 'Service Unavailable', retriable: true },
  UPSTREAM_TIMEOUT: { status: 504, title: 'Gateway Timeout', retriable: true },
} as const satisfies Record<string, { status: number; title: string; retriable: boolean }>;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  errors?: FieldError[];
  /**
   * How long the client should wait before retrying, in milliseconds (a breaker knows when it will
   * probe again to the millisecond). Rendered as the standard `Retry-After` header in whole
   * seconds (RFC 9110 §10.2.3 allows nothing finer) and as `retryAfterMs` in the problem body.
   */
  retryAfterMs?: number;
  /** With METHOD_NOT_ALLOWED: the methods the resource serves, sent as `Allow` (RFC 9110 §10.2.1). */
  allow?: string[];
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly retriable: boolean;
  readonly errors: FieldError[] | undefined;
  readonly retryAfterMs: number | undefined;
  readonly allow: string[] | undefined;

  constructor(code: ErrorCode, detail?: string, options: AppErrorOptions = {}) {
    const entry = errorCodes[code];
    super(detail ?? entry.title, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = entry.status;
    this.title = entry.title;
    this.retriable = entry.retriable;
    this.errors = options.errors;
    this.retryAfterMs = options.retryAfterMs;
    this.allow = options.allow;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The `type` URI of a problem document for a code (RFC 9457 §3.1.1). */
export function problemType(code: ErrorCode): string {
  return `https://shop.example/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}
