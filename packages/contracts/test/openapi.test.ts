import { validate, compileErrors } from '@readme/openapi-parser';
import {
  buildOpenApiDocument,
  publicRoutes,
  registerBodySchema,
  textSchema,
  type PublicRoute,
  toOpenApiPath,
  shippingAddressSchema,
  updateProductBodySchema,
  userRegisteredPayloadSchema,
} from '@shop/contracts';

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

  test('when a route’s own path is classified as the gateway does it (the first match wins), then that route is the one found', () => {
    const key = (route?: PublicRoute) => (route ? `${route.method} ${route.path}` : 'none');

    for (const route of publicRoutes) {
      const path = route.path.replace(/:[A-Za-z0-9_]+/g, '0b6d6a2e-3f7a-4c8e-9a51-2f0c7f1d9e4b');
      const first = publicRoutes.find(
        (candidate) =>
          candidate.method === route.method && expressMatcher(candidate.path).test(path),
      );
      expect({ path, first: key(first) }).toEqual({ path, first: key(route) });
    }
    expect(publicRoutes).toContainEqual({
      method: 'GET',
      path: '/api/orders/reconciliation/summary',
      auth: 'admin',
    });
  });
});

/** An express path as express matches it: each `:param` one whole segment, case ignored. */
function expressMatcher(expressPath: string): RegExp {
  const source = expressPath
    .split(/(:[A-Za-z0-9_]+)/)
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i');
}

// Regression tests for what schemathesis found (infra/test/contract): each rule the validation
// applies is one the document states, so a client built from the document is never surprised.
describe('textSchema', () => {
  const name = textSchema({ min: 1, max: 3 });

  test.each([
    ['U+0000 anywhere (PostgreSQL text cannot hold it: it was a 500)', 'a\u0000'],
    ['only ASCII white space', ' \t '],
    ['more code points than the maximum', 'abcd'],
    ['nothing', ''],
  ])('when the value has %s, then it is refused', (_why, value) => {
    expect(name.safeParse(value).success).toBe(false);
  });

  test('when the value is three astral characters, then it is within a maximum of 3 (code points, as JSON Schema counts)', () => {
    expect(name.parse('😀😀😀')).toBe('😀😀😀');
  });

  test('when the value has spaces around it, then it is kept as sent (nothing trimmed behind the client)', () => {
    expect(name.parse(' a ')).toBe(' a ');
  });

  test('when free text is documented, then its pattern and lengths refuse what the validation refuses', () => {
    const { components } = buildOpenApiDocument();
    const address = components?.schemas?.['ShippingAddress'] as {
      properties: Record<string, { pattern: string; minLength: number; maxLength: number }>;
    };
    const { pattern, minLength, maxLength } = address.properties['city']!;
    const documented = new RegExp(pattern);
    const cities = ['Berlin\u0000', ' \t ', 'Berlin'];
    const valid = (city: string) =>
      shippingAddressSchema.safeParse({
        name: 'Ann',
        line1: 'Hauptstraße 1',
        city,
        postalCode: '10115',
        country: 'DE',
      }).success;

    expect({ minLength, maxLength }).toEqual({ minLength: 1, maxLength: 100 });
    expect(cities.map((city) => documented.test(city))).toEqual(cities.map(valid));
    expect(cities.map(valid)).toEqual([false, false, true]);
  });
});

describe('the document and the validation agree', () => {
  const { paths = {} } = buildOpenApiDocument();

  test('when a public route is served by a service, then it declares 401 (a bad token is refused even where none is needed)', () => {
    expect(paths['/api/products']?.get?.responses?.['401']).toBeDefined();
    expect(paths['/api/system/health']?.get?.responses?.['401']).toBeUndefined();
  });

  test('when a product is changed, then the body must hold at least one field, as validated', () => {
    expect(updateProductBodySchema.safeParse({}).success).toBe(false);
    expect(JSON.stringify(paths['/api/products/{id}']?.patch?.requestBody)).toContain(
      'UpdateProductRequest',
    );
    const { components } = buildOpenApiDocument();
    expect(components?.schemas?.['UpdateProductRequest']).toMatchObject({ minProperties: 1 });
  });
});

describe('one email rule', () => {
  // schemathesis' stateful phase found an address the API accepted and the UserRegistered event
  // then refused (zod's own email rule is stricter than the one the document publishes): 400.
  test.each(["o'brien@example.com", 'ann+shop@mail.example.org', 'a_b@x.io'])(
    'when %s registers, then the body and the UserRegistered event both accept it',
    (email) => {
      expect(
        registerBodySchema.safeParse({ email, password: 'long-enough', name: 'Ann' }).success,
      ).toBe(true);
      expect(
        userRegisteredPayloadSchema.safeParse({
          userId: '0b6d6a2e-3f7a-4c8e-9a51-2f0c7f1d9e4b',
          email,
          name: 'Ann',
        }).success,
      ).toBe(true);
    },
  );
});
