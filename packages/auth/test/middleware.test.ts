import { isAppError } from '@shop/service-kit';
import express from 'express';
import type { ErrorRequestHandler } from 'express';
import request from 'supertest';
import {
  createJwtVerifier,
  createTokenSigner,
  generateSigningKey,
  optionalAuth,
  publicJwks,
  requireAuth,
  requireRole,
} from '../src';
import type { Role, TokenSigner } from '../src';
import { startJwksServer } from './jwks-server';
import type { JwksServer } from './jwks-server';

const issuer = 'https://identity.shop.test';
const audience = 'shop';

let jwksServer: JwksServer;
let signer: TokenSigner;
let app: express.Express;

/** Stands in for service-kit's problem+json middleware: only the status matters here. */
const renderStatus: ErrorRequestHandler = (error, _req, res, _next) => {
  res
    .status(isAppError(error) ? error.status : 500)
    .json({ code: isAppError(error) ? error.code : 'INTERNAL' });
};

beforeEach(async () => {
  const key = await generateSigningKey();
  jwksServer = await startJwksServer(publicJwks(key));
  signer = createTokenSigner({ privateJwk: key, issuer, audience, ttlSeconds: 900 });
  const verifier = createJwtVerifier({ jwksUrl: jwksServer.url, issuer, audience });
  app = express();
  app.get('/me', requireAuth(verifier), (req, res) => {
    res.json(req.user);
  });
  app.get('/admin', requireAuth(verifier), requireRole('admin'), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/products', optionalAuth(verifier), (req, res) => {
    res.json({ viewer: req.user?.role ?? 'anonymous' });
  });
  app.use(renderStatus);
});

afterEach(async () => {
  await jwksServer.close();
});

function tokenFor(role: Role) {
  return signer.sign({
    sub: '5a1d7c2e-8f3b-4c6d-9e0f-1a2b3c4d5e6f',
    role,
    email: `${role}@example.com`,
  });
}

describe('auth middleware', () => {
  test('when a valid bearer token is sent, then req.user is the token user', async () => {
    const response = await request(app)
      .get('/me')
      .set('Authorization', `Bearer ${await tokenFor('customer')}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: '5a1d7c2e-8f3b-4c6d-9e0f-1a2b3c4d5e6f',
      role: 'customer',
      email: 'customer@example.com',
    });
  });

  test('when no Authorization header is sent, then 401 with a Bearer challenge', async () => {
    const response = await request(app).get('/me');

    expect(response.status).toBe(401);
    expect(response.body).toEqual({ code: 'UNAUTHENTICATED' });
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  test.each([
    ['another scheme', 'Basic YWRhOnNlY3JldA=='],
    ['a malformed token', 'Bearer not-a-jwt'],
    ['an empty bearer', 'Bearer '],
  ])('when the header carries %s, then 401', async (_case, header) => {
    const response = await request(app).get('/me').set('Authorization', header);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer error=/);
  });

  test('when a customer calls an admin route, then 403', async () => {
    const response = await request(app)
      .get('/admin')
      .set('Authorization', `Bearer ${await tokenFor('customer')}`);

    expect(response.status).toBe(403);
    expect(response.body).toEqual({ code: 'FORBIDDEN' });
  });

  test('when an admin calls an admin route, then it passes', async () => {
    const response = await request(app)
      .get('/admin')
      .set('Authorization', `Bearer ${await tokenFor('admin')}`);

    expect(response.status).toBe(200);
  });

  test('when an anonymous caller reaches an optional-auth route, then it passes without a user', async () => {
    const response = await request(app).get('/products');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ viewer: 'anonymous' });
  });

  test('when an optional-auth route gets a valid token, then the user is known', async () => {
    const response = await request(app)
      .get('/products')
      .set('Authorization', `Bearer ${await tokenFor('admin')}`);

    expect(response.body).toEqual({ viewer: 'admin' });
  });

  test('when an optional-auth route gets a bad token, then 401 rather than anonymous', async () => {
    const response = await request(app).get('/products').set('Authorization', 'Bearer a.b.c');

    expect(response.status).toBe(401);
  });
});
