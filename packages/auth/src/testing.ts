import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Role } from './claims';
import { generateSigningKey, publicJwks } from './keys';
import { createTokenSigner } from './signer';

/**
 * Plays the identity service for other services' tests: a real JWKS endpoint on a random
 * loopback port and tokens signed with its key, so services verify tokens exactly as they do
 * against identity (stubbed at the network boundary, not in our own modules).
 */
export interface TestIssuer {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** A token for a fresh user of that role (or the given id). */
  tokenFor(role: Role, sub?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer({
  issuer = 'shop-identity-test',
  audience = 'shop',
}: { issuer?: string; audience?: string } = {}): Promise<TestIssuer> {
  const privateJwk = await generateSigningKey();
  const signer = createTokenSigner({ privateJwk, issuer, audience, ttlSeconds: 3600 });
  const body = JSON.stringify(publicJwks(privateJwk));
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/api/auth/jwks.json`,
    issuer,
    audience,
    tokenFor: (role, sub = randomUUID()) =>
      signer.sign({ sub, role, email: `${role}-${sub.slice(0, 8)}@example.test` }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
