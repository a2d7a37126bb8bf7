import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';

import { orderSnapshotSchema } from '../orders';
import { PROBLEM_CONTENT_TYPE, problemSchema } from '../problem';
import type { ApiRoute, ProblemStatus, ResponseHeaderName, RouteResponse } from './route';
import { apiRoutes } from './routes';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export interface OpenApiOptions {
  serverUrl?: string;
}

const problemResponses: Record<ProblemStatus, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: 'Invalid input; `errors` names each bad field' },
  401: { name: 'Unauthenticated', description: 'Missing, invalid or expired bearer token' },
  403: { name: 'Forbidden', description: 'The token’s role may not do this' },
  404: { name: 'NotFound', description: 'No such resource (or not the caller’s)' },
  409: { name: 'Conflict', description: 'The resource’s state does not allow this' },
  413: { name: 'PayloadTooLarge', description: 'The body is over 64 KiB' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not `application/json`' },
  422: { name: 'Unprocessable', description: 'Well-formed but not acceptable' },
  429: { name: 'RateLimited', description: 'Too many requests; wait for `Retry-After` seconds' },
  500: { name: 'InternalError', description: 'An unexpected failure; retrying may help' },
  503: {
    name: 'ServiceUnavailable',
    description:
      'An upstream is down or its circuit is open, or the shop is refusing new work while overloaded; retry after `Retry-After` seconds',
  },
  504: { name: 'GatewayTimeout', description: 'An upstream did not answer in time' },
};

const headerComponents: Record<
  ResponseHeaderName,
  { description: string; type: 'string' | 'integer' }
> = {
  'X-Request-Id': {
    description: 'The request id, echoed when the client sent a valid one',
    type: 'string',
  },
  Location: { description: 'The URL of the created resource', type: 'string' },
  'Idempotent-Replayed': {
    description: '`true` when this is a replay of an earlier answer',
    type: 'string',
  },
  'Retry-After': { description: 'Seconds to wait before retrying', type: 'integer' },
  RateLimit: {
    description: 'Remaining quota (IETF draft-ietf-httpapi-ratelimit-headers)',
    type: 'string',
  },
  'RateLimit-Policy': {
    description: 'The quota policy (IETF draft-ietf-httpapi-ratelimit-headers)',
    type: 'string',
  },
};

const headersOf: Partial<Record<ProblemStatus, ResponseHeaderName[]>> = {
  429: ['Retry-After', 'RateLimit', 'RateLimit-Policy'],
  503: ['Retry-After'],
};

const BEARER = 'bearerAuth';

function headerRefs(names: ResponseHeaderName[]) {
  return Object.fromEntries(
    ['X-Request-Id' as const, ...names].map((name) => [
      name,
      { $ref: `#/components/headers/${name}` },
    ]),
  );
}

const problemContent = {
  [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } },
};

function registerComponents(registry: OpenAPIRegistry): void {
  registry.register('Problem', problemSchema);
  // Named only inside the order event stream's events (their `contentSchema`).
  registry.register('OrderSnapshot', orderSnapshotSchema);
  registry.registerComponent('securitySchemes', BEARER, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from /api/auth/login or /api/auth/register',
  });
  for (const [name, { description, type }] of Object.entries(headerComponents)) {
    registry.registerComponent('headers', name, { description, schema: { type } });
  }
  for (const [status, { name, description }] of Object.entries(problemResponses)) {
    registry.registerComponent('responses', name, {
      description,
      headers: headerRefs(headersOf[Number(status) as ProblemStatus] ?? []),
      content: problemContent,
    });
  }
}

/** Served by a service behind the gateway, not by the gateway itself. */
function proxied(route: ApiRoute): boolean {
  return route.path.startsWith('/api/') && route.tag !== 'Operations';
}

/** The errors a route can answer because of its shape, before any it declares itself. */
function implicitProblems(route: ApiRoute): ProblemStatus[] {
  const statuses: ProblemStatus[] = [];
  if (route.params || route.query || route.headers || route.body) statuses.push(400);
  // A route that needs no token still refuses a bad one: a client that sends credentials learns
  // they are wrong instead of being served as someone else (the gateway's own routes excepted).
  if (route.auth !== 'none' || proxied(route)) statuses.push(401);
  if (route.auth === 'admin') statuses.push(403);
  if (route.body) statuses.push(413, 415);
  // Only /api goes through the gateway's rate limiter and upstream breakers.
  if (route.path.startsWith('/api/')) statuses.push(429, 503, 504);
  statuses.push(500);
  return statuses;
}

function toResponseConfig(response: RouteResponse): ResponseConfig {
  return {
    description: response.description,
    headers: headerRefs(response.headers ?? []),
    ...(response.links && { links: response.links }),
    ...(response.schema && {
      content: { [response.contentType ?? 'application/json']: { schema: response.schema } },
    }),
  };
}

function responsesOf(route: ApiRoute): RouteConfig['responses'] {
  const responses: RouteConfig['responses'] = {};
  for (const response of [route.success, ...(route.otherResponses ?? [])]) {
    responses[response.status] = toResponseConfig(response);
  }
  for (const status of implicitProblems(route)) {
    responses[status] = { $ref: `#/components/responses/${problemResponses[status].name}` };
  }
  for (const [status, description] of Object.entries(route.problems ?? {})) {
    responses[status] = {
      description,
      headers: headerRefs(headersOf[Number(status) as ProblemStatus] ?? []),
      content: problemContent,
    };
  }
  return responses;
}

/** `/api/products/:id` → `/api/products/{id}`. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function toRouteConfig(route: ApiRoute): RouteConfig {
  const roleNote = route.auth === 'admin' ? ' Requires the admin role.' : '';
  return {
    method: route.method.toLowerCase() as RouteConfig['method'],
    path: toOpenApiPath(route.path),
    operationId: route.operationId,
    summary: route.summary,
    ...((route.description ?? roleNote) && {
      description: `${route.description ?? ''}${roleNote}`.trim(),
    }),
    tags: [route.tag],
    ...(route.auth !== 'none' && { security: [{ [BEARER]: [] }] }),
    request: {
      ...(route.params && { params: route.params }),
      ...(route.query && { query: route.query }),
      ...(route.headers && { headers: route.headers }),
      ...(route.body && {
        body: { required: true, content: { 'application/json': { schema: route.body } } },
      }),
    },
    responses: responsesOf(route),
  };
}

/** The OpenAPI 3.1 document of every public route, generated from the same zod schemas. */
export function buildOpenApiDocument({
  serverUrl = 'http://localhost:8080',
}: OpenApiOptions = {}): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registerComponents(registry);
  for (const route of apiRoutes) registry.registerPath(toRouteConfig(route));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'shop API',
      version: '1.0.0',
      description:
        'The public API of the shop gateway. Errors are RFC 9457 problem details ' +
        '(`application/problem+json`); money is integer minor units with an ISO 4217 currency.',
    },
    servers: [{ url: serverUrl }],
    tags: [...new Set(apiRoutes.map((route) => route.tag))].map((name) => ({ name })),
  });
}
