import type { Request, RequestHandler } from 'express';
import { match, type MatchFunction } from 'path-to-regexp';
import { publicRoutes, type PublicRoute, type RouteAuth } from '@shop/contracts';
import { AppError, labelRoute } from '@shop/service-kit';

/** One documented path and what each method served on it needs (HEAD with GET's). */
export interface DocumentedPath {
  pattern: string;
  needs: ReadonlyMap<string, RouteAuth>;
  allow: string[];
}

export interface RouteTable {
  /**
   * The documented path a request's path falls under, matched as express matches a route (any
   * case, an optional trailing slash). Literal paths are looked up first, in a map; no pattern
   * with parameters matches a literal path of the contract (its test checks), so the order of
   * the two lookups decides nothing.
   */
  find(path: string): DocumentedPath | undefined;
}

const withoutTrailingSlash = (path: string) =>
  path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;

export function routeTable(routes: readonly PublicRoute[] = publicRoutes): RouteTable {
  const needsByPattern = new Map<string, Map<string, RouteAuth>>();
  for (const { method, path, auth } of routes) {
    const needs = needsByPattern.get(path) ?? new Map<string, RouteAuth>();
    const verb = method.toUpperCase();
    if (!needs.has(verb)) needs.set(verb, auth);
    if (verb === 'GET' && !needs.has('HEAD')) needs.set('HEAD', auth);
    needsByPattern.set(path, needs);
  }
  const literal = new Map<string, DocumentedPath>();
  const withParameters: { matches: MatchFunction<object>; documented: DocumentedPath }[] = [];
  for (const [pattern, needs] of needsByPattern) {
    const documented = { pattern, needs, allow: [...needs.keys()].sort() };
    if (pattern.includes(':'))
      withParameters.push({ matches: match(pattern, { decode: false }), documented });
    else literal.set(pattern.toLowerCase(), documented);
  }
  return {
    find(path) {
      return (
        literal.get(withoutTrailingSlash(path).toLowerCase()) ??
        withParameters.find(({ matches }) => matches(path) !== false)?.documented
      );
    },
  };
}

const documentedNeeds = new WeakMap<Request, RouteAuth>();

/** What the request's documented route needs; undefined for a path the contract does not know. */
export function documentedAuth(req: Request): RouteAuth | undefined {
  return documentedNeeds.get(req);
}

/**
 * One lookup in the contract's routes per request, before authentication or any upstream:
 * - a documented path asked with a method it does not serve is answered 405 with the methods it
 *   does serve in `Allow` (RFC 9110 §15.5.6);
 * - otherwise the request is marked with what its route needs (`documentedAuth`), and the metrics
 *   count it under the route's pattern, never its ids.
 * Paths the contract does not know go on (and end 404, or get their upstream's default).
 */
export function documentedRoutes(table: RouteTable = routeTable()): RequestHandler {
  return (req, _res, next) => {
    const documented = table.find(req.path);
    if (documented) {
      const needs = documented.needs.get(req.method);
      if (needs === undefined) {
        throw new AppError('METHOD_NOT_ALLOWED', `${req.method} is not served on ${req.path}`, {
          allow: documented.allow,
        });
      }
      documentedNeeds.set(req, needs);
      labelRoute(req, documented.pattern);
    }
    next();
  };
}
