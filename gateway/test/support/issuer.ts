import { createPrivateKey, randomUUID, sign, type JsonWebKey } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createTokenSigner,
  generateSigningKey,
  publicJwks,
  type PrivateSigningJwk,
  type Role,
} from '@shop/auth';

/**
 * Plays identity's JWKS endpoint, like `@shop/auth/testing`, and also signs the tokens a client
 * could forge or keep too long (expired ones), which need the issuer's own key.
 */
export interface Issuer {
  jwksUrl: string;
  issuer: string;
  audience: string;
  tokenFor(role: Role, sub?: string): Promise<string>;
  expiredTokenFor(role: Role, sub?: string): string;
  close(): Promise<void>;
}

const issuer = 'shop-identity-test';
const audience = 'shop-test';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An EdDSA JWT with any claims, signed with the given key. */
export function signClaims(key: PrivateSigningJwk, claims: Record<string, unknown>): string {
  const signingInput = `${base64url({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })}.${base64url(claims)}`;
  const jwk: JsonWebKey = { kty: key.kty, crv: key.crv, x: key.x, d: key.d };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  return `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString('base64url')}`;
}

/** A token for the same issuer and audience, signed by a key the JWKS does not hold. */
export async function tokenFromAnotherKey(role: Role): Promise<string> {
  const signer = createTokenSigner({
    privateJwk: await generateSigningKey(),
    issuer,
    audience,
    ttlSeconds: 600,
  });
  return signer.sign({ sub: randomUUID(), role, email: 'mallory@example.test' });
}

/** The token with its payload swapped for one claiming admin, signature kept: a forgery. */
export function forgedAdminToken(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as object;
  return `${header}.${base64url({ ...claims, role: 'admin' })}.${signature}`;
}

export async function startIssuer(): Promise<Issuer> {
  const key = await generateSigningKey();
  const signer = createTokenSigner({ privateJwk: key, issuer, audience, ttlSeconds: 3600 });
  const body = JSON.stringify(publicJwks(key));
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/api/auth/jwks.json`,
    issuer,
    audience,
    tokenFor: (role, sub = randomUUID()) =>
      signer.sign({ sub, role, email: `${role}-${sub.slice(0, 8)}@example.test` }),
    expiredTokenFor(role, sub = randomUUID()) {
      const now = Math.floor(Date.now() / 1000);
      return signClaims(key, {
        sub,
        role,
        email: `${role}@example.test`,
        iss: issuer,
        aud: audience,
        iat: now - 1800,
        exp: now - 600,
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
