import { AppError } from '@shop/service-kit';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { isRole, maxTokenLifetimeSeconds, signingAlgorithm } from './claims';
import type { AuthUser } from './claims';
import type { Jwks } from './keys';

interface VerifierCommonOptions {
  issuer: string;
  audience: string;
  /** Allowed clock skew between identity and this service. Default 5 s. */
  clockToleranceSeconds?: number;
}

export interface RemoteJwksOptions extends VerifierCommonOptions {
  /** Identity's JWKS, e.g. http://identity:3000/api/auth/jwks.json. */
  jwksUrl: string | URL;
  /**
   * Shortest pause between two fetches caused by an unknown kid, in ms. Default 30 s: a new key is
   * picked up on its first token, yet a flood of tokens with made-up kids costs identity one
   * request per cooldown, not one per token.
   */
  cooldownMs?: number;
  /** How long a fetched JWKS is used before it is fetched again anyway, in ms. Default 10 min. */
  cacheMaxAgeMs?: number;
  /** Budget for one JWKS fetch, in ms. Default 2 s. */
  fetchTimeoutMs?: number;
}

export interface LocalJwksOptions extends VerifierCommonOptions {
  jwks: Jwks;
}

export type JwtVerifierOptions = RemoteJwksOptions | LocalJwksOptions;

export interface JwtVerifier {
  /** The token's user, or an AppError: UNAUTHENTICATED, or UPSTREAM_UNAVAILABLE when the JWKS cannot be fetched. */
  verify(token: string): Promise<AuthUser>;
}

export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const keys = keySource(options);
  const clockTolerance = options.clockToleranceSeconds ?? 5;

  return {
    async verify(token) {
      if (!token) throw unauthenticated('missing bearer token');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: [signingAlgorithm],
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance,
          requiredClaims: ['sub', 'exp', 'iat'],
        }));
      } catch (error) {
        throw translate(error);
      }
      return userFrom(payload);
    },
  };
}

function keySource(options: JwtVerifierOptions): JWTVerifyGetKey {
  if ('jwks' in options) return createLocalJWKSet(options.jwks);
  return createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
    timeoutDuration: options.fetchTimeoutMs ?? 2_000,
  });
}

function userFrom(payload: JWTPayload): AuthUser {
  const { sub, role, email, exp, iat } = payload;
  if (exp! - iat! > maxTokenLifetimeSeconds) {
    throw unauthenticated('token lifetime exceeds one hour');
  }
  if (!isRole(role)) throw unauthenticated('token carries no valid role');
  return { id: sub!, role, ...(typeof email === 'string' ? { email } : {}) };
}

function translate(error: unknown): AppError {
  if (error instanceof errors.JWTExpired) return unauthenticated('token expired', error);
  if (error instanceof errors.JWTClaimValidationFailed) {
    return unauthenticated(`token claim "${error.claim}" is invalid (${error.reason})`, error);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return unauthenticated('token signature is invalid', error);
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return unauthenticated('token is signed by an unknown key', error);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return unauthenticated('token algorithm is not accepted', error);
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return unauthenticated('token is malformed', error);
  }
  // Anything else is the key source failing (identity down, timeout, a broken JWKS): not the
  // client's fault, so it must not read as "log in again".
  return new AppError('UPSTREAM_UNAVAILABLE', 'signing keys are unavailable', { cause: error });
}

function unauthenticated(detail: string, cause?: unknown): AppError {
  return new AppError('UNAUTHENTICATED', detail, { cause });
}
