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
  /**
   * How long a token, once verified, is taken as verified without checking its signature again
   * (never past its expiry), in ms. Default 60 s, well inside the JWKS' cache age, so a key
   * withdrawn from the JWKS stops being honoured no later than it did without this. 0: off.
   */
  verifiedTtlMs?: number;
  /** How many verified tokens are remembered (the oldest forgotten first). Default 10,000. */
  verifiedMax?: number;
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
  /**
   * The user of a token this verifier has verified lately and that has not expired, without
   * verifying anything; undefined for any other token. For work that may be done early when the
   * answer is already known (the gateway counts a known user's quota with its address's).
   */
  recall(token: string | undefined): AuthUser | undefined;
}

/**
 * Verifies identity's tokens: signature (against the JWKS), issuer, audience, expiry, role.
 *
 * A shopper sends the same token with every request, and checking an Ed25519 signature was the
 * gateway's largest single cost (docs/performance.md), so a verified token is remembered for a
 * short while: the same string, byte for byte, is the same signed claims. Only successes are
 * remembered (a flood of forged tokens costs what it did), and expiry is checked on every use.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const keys = keySource(options);
  const clockTolerance = options.clockToleranceSeconds ?? 5;
  const verified = verifiedTokens(options.verifiedTtlMs ?? 60_000, options.verifiedMax ?? 10_000);

  return {
    async verify(token) {
      if (!token) throw unauthenticated('missing bearer token');
      const known = verified.get(token);
      if (known) return known;
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
      const user = userFrom(payload);
      verified.remember(token, user, payload.exp! * 1000);
      return user;
    },
    recall: (token) => (token ? verified.get(token) : undefined),
  };
}

/** Tokens verified lately, each until its own expiry or the TTL, whichever comes first. */
function verifiedTokens(ttlMs: number, max: number) {
  const entries = new Map<string, { user: AuthUser; until: number }>();
  return {
    get(token: string): AuthUser | undefined {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (Date.now() < entry.until) return entry.user;
      entries.delete(token);
      return undefined;
    },
    remember(token: string, user: AuthUser, expiresAt: number) {
      if (ttlMs <= 0) return;
      // A Map iterates in insertion order: its first key is the oldest entry.
      if (entries.size >= max) entries.delete(entries.keys().next().value!);
      entries.set(token, { user, until: Math.min(expiresAt, Date.now() + ttlMs) });
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
