import type { RequestHandler } from 'express';
import { AppError } from '@shop/service-kit';

/**
 * express.json has already enforced the limit on JSON bodies (413 before reading past it). This
 * covers a body it left alone (another type on GET/DELETE), so nothing over the limit is streamed
 * on to a service.
 */
export function declaredBodyLimit(limitBytes: number): RequestHandler {
  return (req, _res, next) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!req.readableEnded && declared > limitBytes) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `The request body is larger than the limit of ${limitBytes} bytes`,
      );
    }
    next();
  };
}
