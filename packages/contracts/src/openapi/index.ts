export { buildOpenApiDocument, toOpenApiPath } from './document';
export type { OpenApiDocument, OpenApiOptions } from './document';
export type { ApiRoute, HttpMethod, ProblemStatus, RouteAuth } from './route';
export { apiRoutes, publicRoutes } from './routes';
export type { PublicRoute } from './routes';
