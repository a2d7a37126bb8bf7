import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { signingAlgorithm } from './claims';

/** A private signing key as a JWK; `kid` names it in token headers and in the JWKS. */
export type PrivateSigningJwk = JWK & { kid: string; d: string };

export interface Jwks {
  keys: JWK[];
}

/**
 * A fresh Ed25519 key, its kid the RFC 7638 thumbprint of the public part (stable, and derived
 * from the key itself, so two keys never share a kid). Keep the result in configuration, never in git.
 */
export async function generateSigningKey(): Promise<PrivateSigningJwk> {
  const { privateKey } = await generateKeyPair(signingAlgorithm, {
    crv: 'Ed25519',
    extractable: true,
  });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicPart(jwk));
  return { ...jwk, kid, alg: signingAlgorithm, use: 'sig' } as PrivateSigningJwk;
}

/**
 * The JWKS document identity serves at /api/auth/jwks.json. Pass the previous key too while
 * rotating, so tokens it signed keep verifying until they expire.
 */
export function publicJwks(privateJwks: JWK | JWK[]): Jwks {
  const keys = Array.isArray(privateJwks) ? privateJwks : [privateJwks];
  return { keys: keys.map(publicPart) };
}

const publicMembers = ['crv', 'x', 'y', 'n', 'e', 'kid', 'alg', 'use'] as const;

/** Copies only public members, so no private parameter (d, p, q, …) can leak into the JWKS. */
function publicPart(jwk: JWK): JWK {
  const result: JWK = { kty: jwk.kty };
  for (const member of publicMembers) {
    if (jwk[member] !== undefined) result[member] = jwk[member];
  }
  return result;
}
