import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Response } from 'express';
import { AppError } from '@shop/service-kit';
import { pageCsp } from './page-csp';

/** gateway/web/dist, from src/web or dist/web alike: built by `node gateway/web/build.mjs`. */
export const defaultWebDir = path.join(__dirname, '..', '..', 'web', 'dist');

/**
 * The client-side routes of each page (wouter's patterns in gateway/web/src). Only these answer
 * with a page: any other path stays a 404 problem, as the API's clients expect.
 */
const storefrontRoutes = [
  '/',
  '/products/:id',
  '/cart',
  '/checkout',
  '/login',
  '/register',
  '/orders',
  '/orders/:id',
  '/notifications',
];
const consoleRoutes = ['/ops', '/ops/*rest'];

/**
 * The storefront at `/` and the operations console at `/ops` (API.md "Web"): static files, the
 * same for every visitor, that call the public API like any other client. Pages are revalidated
 * on every load (`no-cache` with an ETag), so a new build shows at once.
 */
export function webSite(webDir = defaultWebDir): Router {
  const router = Router();
  const page = (file: string) => (_req: unknown, res: Response) => {
    const full = path.join(webDir, file);
    if (!fs.existsSync(full))
      throw new AppError('INTERNAL', 'the web pages are not built (node gateway/web/build.mjs)');
    res.setHeader('Content-Security-Policy', pageCsp({ inlineStyles: false }));
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(full);
  };
  router.get(storefrontRoutes, page('index.html'));
  router.get(consoleRoutes, page('ops.html'));
  router.use(
    '/assets',
    express.static(path.join(webDir, 'assets'), {
      index: false,
      cacheControl: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  return router;
}
