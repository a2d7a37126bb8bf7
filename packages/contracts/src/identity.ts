import { codePoints, emailSchema, textSchema, uuidSchema } from './common';
import { z } from './zod';

const personNameSchema = textSchema({ min: 1, max: 100 }).openapi({ example: 'Ann Example' });

// Only hashed, never stored: any character will do, lengths counted as the document counts them.
function passwordSchema(min: 1 | 8) {
  return z
    .string()
    .refine((value) => codePoints(value) >= min, `must be at least ${min} characters`)
    .refine((value) => codePoints(value) <= 128, 'must be at most 128 characters')
    .openapi({ minLength: min, maxLength: 128 });
}

export const roleSchema = z.enum(['customer', 'admin']).openapi('Role');

export const userSchema = z
  .object({
    id: uuidSchema,
    email: emailSchema,
    name: personNameSchema,
    role: roleSchema,
  })
  .openapi('User');

export const registerBodySchema = z
  .strictObject({
    email: emailSchema,
    password: passwordSchema(8),
    name: personNameSchema,
  })
  .openapi('RegisterRequest');

// No length rule beyond an upper bound at login: a too-short password is just a wrong password,
// answered with the same 401 as any other.
export const loginBodySchema = z
  .strictObject({
    email: emailSchema,
    password: passwordSchema(1),
  })
  .openapi('LoginRequest', {
    example: { email: 'ann@example.com', password: 'correct-horse-battery' },
  });

export const tokenResponseSchema = z
  .object({
    token: z.string().openapi({ description: 'A signed JWT to send as `Authorization: Bearer`' }),
    user: userSchema,
  })
  .openapi('TokenResponse');

/** The claims every service reads from a verified access token. */
export const accessTokenClaimsSchema = z.object({
  sub: uuidSchema,
  role: roleSchema,
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number().int(),
  iat: z.number().int().optional(),
});

// RFC 7517: a JWK carries algorithm-specific members (x for OKP, n/e for RSA), so unknown members
// are kept rather than stripped.
export const jwkSchema = z
  .looseObject({
    kty: z.string().openapi({ example: 'OKP' }),
    kid: z.string(),
    alg: z.string().optional().openapi({ example: 'EdDSA' }),
    use: z.literal('sig').optional(),
    crv: z.string().optional().openapi({ example: 'Ed25519' }),
    x: z.string().optional(),
    n: z.string().optional(),
    e: z.string().optional(),
  })
  .openapi('Jwk');

export const jwksSchema = z.object({ keys: z.array(jwkSchema) }).openapi('Jwks');

export type Role = z.infer<typeof roleSchema>;
export type User = z.infer<typeof userSchema>;
export type RegisterBody = z.infer<typeof registerBodySchema>;
export type LoginBody = z.infer<typeof loginBodySchema>;
export type TokenResponse = z.infer<typeof tokenResponseSchema>;
export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;
export type Jwk = z.infer<typeof jwkSchema>;
export type Jwks = z.infer<typeof jwksSchema>;
