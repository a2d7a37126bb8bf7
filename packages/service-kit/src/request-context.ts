import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { continueTrace, formatTraceparent, type TraceParent } from './tracing';

/** What every log line and every outgoing call made on behalf of one request needs to know. */
export interface RequestContext {
  requestId: string;
  /** This service's span for the request; its span id is the parent of any call we make. */
  traceparent: TraceParent;
}

const storage = new AsyncLocalStorage<RequestContext>();

const requestIdPattern = /^[A-Za-z0-9._-]{1,200}$/;

export function isValidRequestId(value: string | undefined): value is string {
  return value !== undefined && requestIdPattern.test(value);
}

/** The id a caller sent when it is valid, else a new one. */
export function requestIdFrom(sent: string | undefined): string {
  return isValidRequestId(sent) ? sent : randomUUID();
}

export function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Builds the context from what a caller sent: over HTTP the headers, in a Kafka consumer the
 * message headers. Anything invalid is replaced rather than rejected, so a broken client still
 * gets an answer that can be traced.
 */
export function contextFromHeaders(headers: {
  requestId?: string | undefined;
  traceparent?: string | undefined;
}): RequestContext {
  return {
    requestId: requestIdFrom(headers.requestId),
    traceparent: continueTrace(headers.traceparent),
  };
}

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * The headers an outgoing HTTP call or Kafka message carries so the next hop joins the same
 * request and trace. Empty outside a request context: there is nothing to propagate.
 */
export function outgoingHeaders(): { 'x-request-id'?: string; traceparent?: string } {
  const context = currentContext();
  if (!context) return {};
  return { 'x-request-id': context.requestId, traceparent: formatTraceparent(context.traceparent) };
}

/** Sets the id header first, so that every response, including errors, carries it. */
export function requestContextMiddleware(): RequestHandler {
  return (req, res, next) => {
    const context = contextFromHeaders({
      requestId: firstValue(req.headers['x-request-id']),
      traceparent: firstValue(req.headers.traceparent),
    });
    res.setHeader('X-Request-Id', context.requestId);
    runWithContext(context, next);
  };
}
