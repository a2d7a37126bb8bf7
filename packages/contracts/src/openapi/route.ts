import type { z } from '../zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `user`: any signed-in customer or admin; `admin`: the admin role only. */
export type RouteAuth = 'none' | 'user' | 'admin';

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503 | 504;

export type ResponseHeaderName =
  | 'Location'
  | 'Idempotent-Replayed'
  | 'Retry-After'
  | 'RateLimit'
  | 'RateLimit-Policy'
  | 'X-Request-Id';

/**
 * An OpenAPI link: what a client (or a fuzzer's stateful phase) can do next with this answer,
 * with values taken from it by runtime expressions (`$response.body#/id`).
 */
export interface RouteLink {
  operationId: string;
  description: string;
  parameters?: Record<string, string>;
  requestBody?: unknown;
}

export interface RouteResponse {
  status: number;
  description: string;
  schema?: z.ZodType;
  contentType?: string;
  headers?: ResponseHeaderName[];
  links?: Record<string, RouteLink>;
}

/**
 * One public route: enough to document it and to check that the gateway answers it. Error
 * responses that follow from the route's shape (400 for any input, 401/403 for auth, 413/415 for a
 * body, 429/503/504 at the gateway) are added by the document builder; `problems` holds the ones
 * only this route knows about, with the reason.
 */
export interface ApiRoute {
  method: HttpMethod;
  /** Express form: `/api/products/:id`. */
  path: string;
  auth: RouteAuth;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  success: RouteResponse;
  otherResponses?: RouteResponse[];
  problems?: Partial<Record<ProblemStatus, string>>;
}
