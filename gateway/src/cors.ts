import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

const allowedHeaders = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'X-Request-Id',
  'traceparent',
].join(', ');

/** What a browser script may read from a cross-origin answer besides the CORS-safelisted headers. */
const exposedHeaders = [
  'X-Request-Id',
  'traceparent',
  'Location',
  'Idempotent-Replayed',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
].join(', ');

/**
 * Lets a listed origin's script read the answer: true when the request came from one. For the app
 * and for refusals answered at the gateway's door alike, so that a browser can read a 503's
 * Retry-After too.
 */
export function corsHeaders(origins: string[]) {
  const allowed = new Set(origins);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.appendHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', exposedHeaders);
    return true;
  };
}

/**
 * CORS for the listed origins only (none by default: same-origin clients and non-browser clients
 * need nothing). Bearer tokens, not cookies, so no credentials mode. A preflight is answered here,
 * before rate limiting and authentication, as browsers send it without the Authorization header.
 */
export function cors(origins: string[]): RequestHandler {
  const allowOrigin = corsHeaders(origins);
  return (req, res, next) => {
    if (!allowOrigin(req, res)) {
      next();
      return;
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
      res.setHeader('Access-Control-Allow-Headers', allowedHeaders);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
