import { requireAuth, type JwtVerifier } from '@shop/auth';
import { loginBodySchema, registerBodySchema, type Jwks } from '@shop/contracts';
import { AppError, isAppError, parseBody } from '@shop/service-kit';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { currentUser } from '../domain/current-user';
import { normaliseEmail } from '../domain/email';
import type { IdentityDeps, LoginThrottle } from '../domain/identity-deps';
import { login } from '../domain/login';
import { register } from '../domain/register';

/**
 * The contract's email rule lower-cases but does not trim, and " ann@example.com" would fail it;
 * normalising first makes that one more spelling of the same account.
 */
function withNormalisedEmail<S extends z.ZodType>(schema: S) {
  return z.preprocess(
    (body) =>
      typeof body === 'object' && body !== null && 'email' in body && typeof body.email === 'string'
        ? { ...body, email: normaliseEmail(body.email) }
        : body,
    schema,
  );
}

/**
 * The 429 names its policy as API.md asks, per draft-ietf-httpapi-ratelimit-headers (§3, §4):
 * e.g. `RateLimit-Policy: "failed-logins";q=5;w=900` and `RateLimit: "failed-logins";r=0;t=600`.
 * (Retry-After comes from the problem renderer.)
 */
function setThrottleHeaders(res: Response, throttle: LoginThrottle, resetMs: number): void {
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  res.setHeader(
    'RateLimit-Policy',
    `"failed-logins";q=${throttle.maxFailures};w=${seconds(throttle.windowMs)}`,
  );
  res.setHeader('RateLimit', `"failed-logins";r=0;t=${seconds(resetMs)}`);
}

const registerBody = withNormalisedEmail(registerBodySchema);
const loginBody = withNormalisedEmail(loginBodySchema);

export function authRoutes(deps: IdentityDeps, verifier: JwtVerifier, jwks: Jwks): Router {
  const router = Router();

  router.post('/api/auth/register', async (req, res) => {
    const body = parseBody(registerBody, req);
    const result = await register(deps, body);
    res.status(201).location('/api/auth/me').json(result);
  });

  router.post('/api/auth/login', async (req, res) => {
    const body = parseBody(loginBody, req);
    try {
      res.json(await login(deps, body));
    } catch (error) {
      if (isAppError(error) && error.code === 'RATE_LIMITED') {
        setThrottleHeaders(res, deps.throttle, error.retryAfterMs ?? deps.throttle.windowMs);
      }
      throw error;
    }
  });

  router.get('/api/auth/me', requireAuth(verifier), async (req, res) => {
    if (!req.user) throw new AppError('UNAUTHENTICATED', 'authentication required');
    res.json(await currentUser(deps, req.user.id));
  });

  router.get('/api/auth/jwks.json', (_req, res) => {
    // Verifiers cache it themselves and refetch on an unknown kid; a short shared cache is safe.
    res.set('Cache-Control', 'public, max-age=300').json(jwks);
  });

  return router;
}
