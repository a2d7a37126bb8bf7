import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt cost for new hashes: N = 2^15, r = 8, p = 1 (the OWASP password storage minimum,
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt).
 * Every hash records its own parameters, so these can be raised later: old hashes still verify,
 * and `needsRehash` tells login to upgrade them.
 */
export const currentScryptParams = { N: 2 ** 15, r: 8, p: 1 } as const;

const saltBytes = 16;
const keyBytes = 64;
const scheme = 'scrypt';

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

interface ParsedHash extends ScryptParams {
  salt: Buffer;
  key: Buffer;
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64url. */
export async function hashPassword(
  password: string,
  params: ScryptParams = currentScryptParams,
): Promise<string> {
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, params);
  return [scheme, params.N, params.r, params.p, encode(salt), encode(key)].join('$');
}

/** False for a wrong password and for a hash this module cannot read; never throws for either. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  return (
    !parsed ||
    parsed.N < currentScryptParams.N ||
    parsed.r < currentScryptParams.r ||
    parsed.p < currentScryptParams.p
  );
}

function parseHash(stored: string): ParsedHash | undefined {
  const [name, n, r, p, salt, key, ...rest] = stored.split('$');
  if (name !== scheme || rest.length > 0 || !salt || !key) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(params).every((value) => Number.isSafeInteger(value) && value > 0)) {
    return undefined;
  }
  return { ...params, salt: decode(salt), key: decode(key) };
}

function derive(password: string, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is exactly that at N = 2^15, r = 8
  // and refuses it, so the cap follows the parameters.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    // NFKC: the same password typed on another keyboard or OS hashes alike (NIST SP 800-63B
    // §5.1.1.2).
    scrypt(password.normalize('NFKC'), salt, keyBytes, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function encode(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function decode(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}
