import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError, errorCodes, isAppError, problemType, type ErrorCode } from './errors';
import type { Problem } from '@shop/contracts';
import type { Logger } from './logger';
import { currentContext } from './request-context';
import { validationError } from './validation';

/** RFC 9457 problem details, the only shape a client ever receives on failure (API.md). */
export type ProblemDetails = Problem;

export const problemContentType = 'application/problem+json';

const unexpectedDetail = 'An unexpected error occurred. Quote the request id when reporting it.';

/** The errors body-parser and the router raise (http-errors): `expose` marks a safe message. */
interface HttpError {
  status: number;
  expose: boolean;
  message: string;
  type?: string;
  limit?: number;
}

function isHttpError(error: unknown): error is HttpError {
  if (!(error instanceof Error)) return false;
  const { status, expose } = error as Partial<HttpError>;
  return typeof status === 'number' && typeof expose === 'boolean';
}

function codeForStatus(status: number): ErrorCode | undefined {
  return (Object.keys(errorCodes) as ErrorCode[]).find(
    (code) => errorCodes[code].status === status,
  );
}

function fromHttpError(error: HttpError): AppError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppError('VALIDATION', 'The request body is not valid JSON', { cause: error });
    case 'entity.too.large':
      return new AppError(
        'PAYLOAD_TOO_LARGE',
        `The request body is larger than the limit of ${error.limit ?? 'unknown'} bytes`,
        { cause: error },
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', error.message, { cause: error });
  }
  if (!error.expose || error.status >= 500) return undefined;
  return new AppError(codeForStatus(error.status) ?? 'VALIDATION', error.message, { cause: error });
}

/** What a client may learn about an error; undefined when it must learn nothing. */
function toClientError(error: unknown): AppError | undefined {
  if (isAppError(error)) return error;
  if (error instanceof z.core.$ZodError) return validationError(error, 'input');
  if (isHttpError(error)) return fromHttpError(error);
  return undefined;
}

function requestIdOf(res: Response): string {
  const header = res.getHeader('x-request-id');
  return currentContext()?.requestId ?? (typeof header === 'string' ? header : '');
}

export function toProblem(error: AppError, req: Request, res: Response): ProblemDetails {
  // The path only: a query string may carry what should not be echoed or logged twice.
  return problemOf(error, req.originalUrl.split('?')[0] ?? '', requestIdOf(res));
}

/** The problem document for an error, at `instance` (a path), for the request `requestId`. */
export function problemOf(error: AppError, instance: string, requestId: string): ProblemDetails {
  return {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: error.message,
    instance,
    requestId,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: Math.ceil(error.retryAfterMs) } : {}),
  };
}

/** `Retry-After` counts whole seconds (RFC 9110 §10.2.3), and never says 0. */
export function retryAfterSeconds(retryAfterMs: number): string {
  return String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
}

export function sendProblem(res: Response, problem: ProblemDetails): void {
  if (problem.retryAfterMs !== undefined) {
    res.setHeader('Retry-After', retryAfterSeconds(problem.retryAfterMs));
  }
  res.status(problem.status).type(problemContentType).send(JSON.stringify(problem));
}

/**
 * The one place an error becomes a response. Anything not meant for clients becomes a generic
 * 500 whose detail says nothing about the cause; the cause is logged in full instead.
 */
export function problemMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    // Too late for a problem document: express ends the connection so the client sees a failure.
    if (res.headersSent) {
      logger.error({ err: error }, 'error after the response started');
      next(error);
      return;
    }
    const clientError = toClientError(error);
    if (!clientError) {
      logger.error({ err: error }, 'unexpected error while handling the request');
    } else if (clientError.status >= 500 && clientError.code !== 'OVERLOADED') {
      // A refusal as full is the service working as designed: its access line and the shed
      // counters record it. A warning with a stack trace for each would cost most when the
      // service can least afford it (a stack mapped through a source map is ~50 µs alone).
      logger.warn({ err: clientError }, clientError.message);
    }
    const shown = clientError ?? new AppError('INTERNAL', unexpectedDetail);
    if (shown.allow) res.setHeader('Allow', shown.allow.join(', '));
    sendProblem(res, toProblem(shown, req, res));
  };
}

export function notFoundMiddleware(): RequestHandler {
  return (req) => {
    throw new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}`);
  };
}
