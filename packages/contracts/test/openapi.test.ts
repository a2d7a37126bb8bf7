import { validate, compileErrors } from '@readme/openapi-parser';
import { buildOpenApiDocument, publicRoutes, toOpenApiPath } from '@shop/contracts';

describe('buildOpenApiDocument', () => {
  test('when the document is generated, then it is valid OpenAPI 3.1', async () => {
    const document = buildOpenApiDocument({ serverUrl: 'http://localhost:9999' });

    const result = await validate(structuredClone(document) as never);

    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: 'http://localhost:9999' }]);
  });

  test('when the document is generated, then every public route is in it', () => {
    const { paths = {} } = buildOpenApiDocument();

    for (const route of publicRoutes) {
      const operation = paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase() as 'get'];
      expect({ route, documented: operation !== undefined }).toEqual({ route, documented: true });
    }
  });

  test('when a route needs a token, then it declares bearer security and a 401', () => {
    const { paths = {} } = buildOpenApiDocument();

    for (const route of publicRoutes.filter(({ auth }) => auth !== 'none')) {
      const operation = paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase() as 'get'];
      expect(operation?.security).toEqual([{ bearerAuth: [] }]);
      expect(operation?.responses?.['401']).toBeDefined();
    }
  });

  test('when an order is placed, then the Idempotency-Key header is required', () => {
    const { paths = {} } = buildOpenApiDocument();

    expect(paths['/api/orders']?.post?.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
  });

  test('when errors are documented, then they are problem+json', () => {
    const { components } = buildOpenApiDocument();

    expect(components?.responses?.['BadRequest']).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  });
});

describe('publicRoutes', () => {
  test('when listed, then each route is unique and in express form', () => {
    const keys = publicRoutes.map(({ method, path }) => `${method} ${path}`);

    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining(['GET /api/products/:id', 'POST /api/orders/:id/cancel']),
    );
    expect(publicRoutes.every(({ path }) => !path.includes('{'))).toBe(true);
  });
});
