export { isRole, maxTokenLifetimeSeconds, roles, signingAlgorithm } from './claims';
export type { AuthUser, Role } from './claims';
export { generateSigningKey, publicJwks } from './keys';
export type { Jwks, PrivateSigningJwk } from './keys';
export { createTokenSigner } from './signer';
export type { TokenSigner, TokenSignerOptions, TokenSubject } from './signer';
export { createJwtVerifier } from './verifier';
export type {
  JwtVerifier,
  JwtVerifierOptions,
  LocalJwksOptions,
  RemoteJwksOptions,
} from './verifier';
export { bearerToken, optionalAuth, requireAuth, requireRole } from './middleware';
