import express, { type Request, type RequestHandler } from 'express';
import { AppError } from './errors';

const jsonTypes = ['application/json', 'application/*+json'];
const methodsWithBody = new Set(['POST', 'PUT', 'PATCH']);

/** type-is counts `Content-Length: 0` as a body; a bare POST from fetch or curl sends exactly that. */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * A body in any other format is refused with 415 rather than silently ignored, which would turn
 * it into a confusing 400 "field is required". A request without a body (a bare POST to a
 * command endpoint) needs no content type.
 */
export function requireJsonContentType(): RequestHandler {
  return (req, _res, next) => {
    if (methodsWithBody.has(req.method) && hasBody(req) && !req.is(jsonTypes)) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/json');
    }
    next();
  };
}

export function jsonBody(limit: string | number): RequestHandler[] {
  return [requireJsonContentType(), express.json({ limit, type: jsonTypes, strict: true })];
}
