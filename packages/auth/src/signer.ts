import { importJWK, SignJWT } from 'jose';
import type { KeyLike } from 'jose';
import { maxTokenLifetimeSeconds, signingAlgorithm } from './claims';
import type { Role } from './claims';
import type { PrivateSigningJwk } from './keys';

export interface TokenSignerOptions {
  privateJwk: PrivateSigningJwk;
  issuer: string;
  audience: string;
  /** At most 3600 (API.md). */
  ttlSeconds: number;
}

export interface TokenSubject {
  sub: string;
  role: Role;
  email: string;
  name?: string;
}

export interface TokenSigner {
  sign(subject: TokenSubject): Promise<string>;
}

export function createTokenSigner(options: TokenSignerOptions): TokenSigner {
  if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive integer, got ${options.ttlSeconds}`);
  }
  if (options.ttlSeconds > maxTokenLifetimeSeconds) {
    throw new RangeError(`ttlSeconds must be at most ${maxTokenLifetimeSeconds}`);
  }
  if (!options.privateJwk.kid) throw new TypeError('privateJwk needs a kid');
  let key: Promise<KeyLike | Uint8Array> | undefined;

  return {
    async sign({ sub, role, email, name }) {
      key ??= importJWK(options.privateJwk, signingAlgorithm);
      // One reading of the clock for both claims: read twice, a token signed as the second turns
      // would live ttl + 1 s, which verifiers refuse when the ttl is the one-hour maximum.
      const issuedAt = Math.floor(Date.now() / 1000);
      return new SignJWT({ role, email, ...(name === undefined ? {} : { name }) })
        .setProtectedHeader({ alg: signingAlgorithm, kid: options.privateJwk.kid, typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + options.ttlSeconds)
        .sign(await key);
    },
  };
}
