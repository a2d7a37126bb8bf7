import type { RequestHandler } from 'express';
import { optionalAuth, requireAuth, requireRole, type JwtVerifier } from '@shop/auth';
import { upstreamFor, type Upstream } from '../upstreams';
import { documentedAuth } from './documented-routes';

/**
 * The gateway's own check, before anything reaches a service (each service verifies the token
 * again: none trusts the network), after `documentedRoutes` has marked what the route needs. A
 * route without an entry in `publicRoutes` gets its upstream's default, so an undocumented path
 * under `/api/orders` still needs a user.
 */
export function routeAuth(verifier: JwtVerifier, upstreams: Upstream[]): RequestHandler {
  const user = requireAuth(verifier);
  const admin = requireRole('admin');
  const anyone = optionalAuth(verifier);
  return (req, res, next) => {
    const upstream = upstreamFor(upstreams, req.path);
    if (!upstream) {
      next();
      return;
    }
    const auth = documentedAuth(req) ?? upstream.defaultAuth;
    if (auth === 'none') {
      anyone(req, res, next);
      return;
    }
    user(req, res, (error?: unknown) => {
      if (error !== undefined || auth === 'user') next(error);
      else admin(req, res, next);
    });
  };
}
