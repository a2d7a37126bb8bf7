import { Router } from 'express';
import { publicRoutes } from '@shop/contracts';
import { AppError } from '@shop/service-kit';

/**
 * A documented path asked with a method it does not serve is answered 405 with the methods it
 * does serve in `Allow` (RFC 9110 §15.5.6), before authentication or any upstream: the contract
 * says what exists, so nothing else needs asking. GET routes serve HEAD too, as express does.
 * Paths the contract does not know go on (and end 404).
 */
export function methodNotAllowed(): Router {
  const methodsByPath = new Map<string, Set<string>>();
  for (const { method, path } of publicRoutes) {
    const methods = methodsByPath.get(path) ?? new Set<string>();
    methods.add(method.toUpperCase());
    if (method.toUpperCase() === 'GET') methods.add('HEAD');
    methodsByPath.set(path, methods);
  }
  const router = Router();
  for (const [path, methods] of methodsByPath) {
    const allow = [...methods].sort();
    router.all(path, (req, _res, next) => {
      if (methods.has(req.method)) {
        next();
        return;
      }
      throw new AppError('METHOD_NOT_ALLOWED', `${req.method} is not served on ${req.path}`, {
        allow,
      });
    });
  }
  return router;
}
