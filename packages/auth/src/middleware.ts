import { AppError } from '@shop/service-kit';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthUser, Role } from './claims';
import type { JwtVerifier } from './verifier';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- express types are augmented through this global namespace
  namespace Express {
    interface Request {
      /** Set by requireAuth / optionalAuth once the bearer token is verified. */
      user?: AuthUser;
    }
  }
}

/** Verifies `Authorization: Bearer <jwt>` into `req.user`; anything else is UNAUTHENTICATED. */
export function requireAuth(verifier: JwtVerifier): RequestHandler {
  return (req, res, next) => {
    const token = bearerToken(req);
    if (token === undefined) {
      // RFC 6750 §3: a challenge without an error code when no credentials were sent.
      res.setHeader('WWW-Authenticate', 'Bearer');
      next(new AppError('UNAUTHENTICATED', 'missing bearer token'));
      return;
    }
    authenticate(verifier, token, req, res, next);
  };
}

/** Like requireAuth, but a request without a token passes anonymously. A bad token still fails. */
export function optionalAuth(verifier: JwtVerifier): RequestHandler {
  return (req, res, next) => {
    const token = bearerToken(req);
    if (token === undefined) {
      next();
      return;
    }
    authenticate(verifier, token, req, res, next);
  };
}

/** Use after requireAuth: a user without one of these roles gets FORBIDDEN. */
export function requireRole(...allowed: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) {
      next(new AppError('UNAUTHENTICATED', 'authentication required'));
    } else if (!allowed.includes(req.user.role)) {
      next(new AppError('FORBIDDEN', `requires role ${allowed.join(' or ')}`));
    } else {
      next();
    }
  };
}

function authenticate(
  verifier: JwtVerifier,
  token: string,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  if (token === '') {
    res.setHeader('WWW-Authenticate', 'Bearer error="invalid_request"');
    next(new AppError('UNAUTHENTICATED', 'Authorization header is not "Bearer <token>"'));
    return;
  }
  verifier.verify(token).then(
    (user) => {
      req.user = user;
      next();
    },
    (error: unknown) => {
      if (error instanceof AppError && error.code === 'UNAUTHENTICATED') {
        res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      }
      next(error);
    },
  );
}

/**
 * The token of an `Authorization: Bearer …` header; undefined when there is no such header.
 * Another scheme or an empty token yields '' so that it is rejected, not ignored.
 */
export function bearerToken(req: Pick<IncomingMessage, 'headers'>): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}
