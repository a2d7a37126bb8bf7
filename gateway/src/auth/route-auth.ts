import { Router, type Request, type RequestHandler } from 'express';
import { optionalAuth, requireAuth, requireRole, type JwtVerifier } from '@shop/auth';
import { publicRoutes, type RouteAuth } from '@shop/contracts';
import { upstreamFor, type Upstream } from '../upstreams';

/** What the matched route needs, from contracts' `publicRoutes`. */
const documentedAuth = new WeakMap<Request, RouteAuth>();

/**
 * Marks each request with what its documented route needs. Registered as real express routes, so
 * `/api/orders/:id` matches exactly as the services match it (and the metrics get the pattern).
 */
function classifyRoutes(): Router {
  const router = Router();
  for (const route of publicRoutes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    router[method](route.path, (req, _res, next) => {
      if (!documentedAuth.has(req)) documentedAuth.set(req, route.auth);
      next();
    });
  }
  return router;
}

/**
 * The gateway's own check, before anything reaches a service (each service verifies the token
 * again: none trusts the network). A route without an entry in `publicRoutes` gets its
 * upstream's default, so an undocumented path under `/api/orders` still needs a user.
 */
export function routeAuth(verifier: JwtVerifier, upstreams: Upstream[]): RequestHandler[] {
  const user = requireAuth(verifier);
  const admin = requireRole('admin');
  const anyone = optionalAuth(verifier);
  const enforce: RequestHandler = (req, res, next) => {
    const upstream = upstreamFor(upstreams, req.path);
    if (!upstream) {
      next();
      return;
    }
    const auth = documentedAuth.get(req) ?? upstream.defaultAuth;
    if (auth === 'none') {
      anyone(req, res, next);
      return;
    }
    user(req, res, (error?: unknown) => {
      if (error !== undefined || auth === 'user') next(error);
      else admin(req, res, next);
    });
  };
  return [classifyRoutes(), enforce];
}
