import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { SerializedRequest, SerializedResponse } from 'pino';
import type { Logger } from './logger';
import { currentContext } from './request-context';

/** Probes and scrapes arrive every few seconds and would drown the lines worth reading. */
const quietPaths = new Set(['/health/live', '/health/ready', '/metrics']);

/** One line per finished request, at warn for 4xx and error for 5xx. */
export function accessLogMiddleware(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: () => currentContext()?.requestId ?? randomUUID(),
    autoLogging: { ignore: (req) => quietPaths.has((req.url ?? '').split('?')[0] ?? '') },
    // Method, URL, status and time answer most questions; full header dumps bury them.
    serializers: {
      req: (req: SerializedRequest) => ({
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
        userAgent: req.headers['user-agent'],
      }),
      res: (res: SerializedResponse) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
  });
}
