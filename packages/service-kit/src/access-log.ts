import type { RequestHandler } from 'express';
import type { Logger } from './logger';
import { currentContext, runWithContext } from './request-context';

/** Probes and scrapes arrive every few seconds and would drown the lines worth reading. */
const quietPaths = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * One line per request when its response has gone, at warn for 4xx and error for 5xx, or when its
 * client went away first ("request aborted", at warn): method, URL, status and time answer most
 * questions, and the request id and trace id come with every line (the logger's mixin).
 *
 * Written here rather than with pino-http, which builds a child logger per request (its bindings
 * serialised for each) to offer `req.log`, which nothing here uses: that was most of what the
 * request log cost (docs/performance.md, "The access log without a logger per request").
 */
export function accessLogMiddleware(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (quietPaths.has(req.path)) return next();
    const startedAt = performance.now();
    // A client that left is noticed outside the request's context, and its line needs the
    // request id as much as any: the line is written in the context the request came with.
    const context = currentContext();
    const logLine = () => {
      res.off('finish', logLine);
      res.off('close', logLine);
      if (context && currentContext() !== context) runWithContext(context, writeLine);
      else writeLine();
    };
    const writeLine = () => {
      const finished = res.writableFinished;
      const { statusCode } = res;
      const level = statusCode >= 500 ? 'error' : statusCode >= 400 || !finished ? 'warn' : 'info';
      logger[level](
        {
          req: {
            method: req.method,
            url: req.originalUrl,
            remoteAddress: req.socket.remoteAddress,
            userAgent: req.headers['user-agent'],
          },
          res: { statusCode },
          responseTime: Math.round(performance.now() - startedAt),
        },
        finished ? 'request completed' : 'request aborted',
      );
    };
    res.on('finish', logLine);
    res.on('close', logLine);
    next();
  };
}
