import { roleSchema, type Role } from '@shop/contracts';

export type { Role };

export const roles: readonly Role[] = roleSchema.options;

/** The identity a verified token stands for; `id` is the token's `sub`. */
export interface AuthUser {
  id: string;
  role: Role;
  email?: string;
}

/**
 * Ed25519 signatures: small keys, fast verification, and no parameters to get wrong. Tokens are
 * accepted with this algorithm only, so neither `none` nor an HMAC secret can stand in for a key.
 */
export const signingAlgorithm = 'EdDSA';

/** API.md: tokens live at most one hour. */
export const maxTokenLifetimeSeconds = 3600;

export function isRole(value: unknown): value is Role {
  return roles.includes(value as Role);
}
