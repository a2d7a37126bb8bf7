import {
  loginBodySchema,
  registerBodySchema,
  jwksSchema,
  tokenResponseSchema,
  userSchema,
} from '../../identity';
import type { ApiRoute } from '../route';

const tag = 'Identity';

export const identityRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/auth/register',
    auth: 'none',
    operationId: 'register',
    summary: 'Create a customer account and sign in',
    tag,
    body: registerBodySchema,
    success: {
      status: 201,
      description: 'The account and a token for it',
      schema: tokenResponseSchema,
      links: {
        login: {
          operationId: 'login',
          description: 'Sign in again with the same email and password',
          requestBody: { email: '$request.body#/email', password: '$request.body#/password' },
        },
      },
    },
    problems: { 409: 'An account with this email exists' },
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    auth: 'none',
    operationId: 'login',
    summary: 'Exchange email and password for a token',
    description: 'Repeated failures for one email are throttled with 429.',
    tag,
    body: loginBodySchema,
    success: { status: 200, description: 'A token', schema: tokenResponseSchema },
    problems: { 401: 'Wrong email or password (the same answer for an unknown email)' },
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    auth: 'user',
    operationId: 'getCurrentUser',
    summary: 'The signed-in user',
    tag,
    success: { status: 200, description: 'The user the token belongs to', schema: userSchema },
  },
  {
    method: 'GET',
    path: '/api/auth/jwks.json',
    auth: 'none',
    operationId: 'getJwks',
    summary: 'The public keys tokens are verified with (RFC 7517)',
    tag,
    success: { status: 200, description: 'A JSON Web Key Set', schema: jwksSchema },
  },
];
