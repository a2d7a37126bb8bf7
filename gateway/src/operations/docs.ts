import path from 'node:path';
import express, { Router } from 'express';
import { buildOpenApiDocument } from '@shop/contracts';
import { pageCsp } from '../web/page-csp';

const swaggerUiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const page = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>shop API</title>
    <link rel="stylesheet" href="/api/docs/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png" sizes="32x32" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/swagger-ui-bundle.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

// A file rather than an inline script, so the page runs under a CSP without 'unsafe-inline' scripts.
const init = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
});
`;

/**
 * `GET /api/openapi.json`, generated from the contracts' zod schemas, and Swagger UI at
 * `/api/docs`, served from the swagger-ui-dist package: no CDN at run time.
 */
export function docsRoutes(publicUrl: string): Router {
  const document = JSON.stringify(buildOpenApiDocument({ serverUrl: publicUrl }));
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => {
    res.type('application/json').send(document);
  });
  router.get(['/api/docs', '/api/docs/'], (_req, res) => {
    // Swagger UI sets inline styles on elements.
    res.setHeader('Content-Security-Policy', pageCsp({ inlineStyles: true }));
    res.type('html').send(page);
  });
  router.get('/api/docs/init.js', (_req, res) => {
    res.type('text/javascript').send(init);
  });
  router.use('/api/docs', express.static(swaggerUiDir, { index: false, maxAge: '1h' }));
  return router;
}
