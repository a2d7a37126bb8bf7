import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AppError } from './errors';
import { problemContentType, problemOf, retryAfterSeconds } from './problem';
import { firstValue, requestIdFrom } from './request-context';

/**
 * A check every request meets before the app sees it: it returns the refusal to answer, or
 * nothing to let the request in (and may watch the response of one it let in).
 */
export type Door = (req: IncomingMessage, res: ServerResponse) => AppError | undefined;

/**
 * The app behind a door. A refusal is answered at the door with the problem document the app
 * would have sent, its `X-Request-Id` and `Retry-After` — and with nothing else: no access log
 * line, no HTTP metrics, no security headers but `nosniff`, no body read. Under overload that is
 * the point. Answered by the app, a refusal took the gateway ~390 µs of CPU, its whole chain of
 * middleware run for a request that goes no further; at the door it takes ~40 µs
 * (docs/performance.md). The check that refuses counts what it refused.
 */
export function behindDoor(app: RequestListener, door: Door): RequestListener {
  return (req, res) => {
    const refusal = door(req, res);
    if (refusal) answerAtTheDoor(req, res, refusal);
    else app(req, res);
  };
}

function answerAtTheDoor(req: IncomingMessage, res: ServerResponse, refusal: AppError): void {
  const requestId = requestIdFrom(firstValue(req.headers['x-request-id']));
  // The path only, as the app's problem documents have it.
  const problem = problemOf(refusal, (req.url ?? '').split('?')[0] ?? '', requestId);
  const body = JSON.stringify(problem);
  res.setHeader('X-Request-Id', requestId);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (problem.retryAfterMs !== undefined) {
    res.setHeader('Retry-After', retryAfterSeconds(problem.retryAfterMs));
  }
  if (refusal.allow) res.setHeader('Allow', refusal.allow.join(', '));
  res.writeHead(problem.status, {
    'Content-Type': `${problemContentType}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
