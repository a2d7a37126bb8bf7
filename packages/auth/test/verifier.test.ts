import { AppError } from '@shop/service-kit';
import { importJWK, SignJWT } from 'jose';
import { createJwtVerifier, createTokenSigner, generateSigningKey, publicJwks } from '../src';
import type { PrivateSigningJwk, RemoteJwksOptions } from '../src';
import { startJwksServer } from './jwks-server';
import type { JwksServer } from './jwks-server';

const issuer = 'https://identity.shop.test';
const audience = 'shop';
const customer = {
  sub: '0b9f6c1e-3d7a-4a51-9c62-4f1b2f0f9a10',
  role: 'customer',
  email: 'ada@example.com',
} as const;

let key: PrivateSigningJwk;
let jwksServer: JwksServer;

beforeEach(async () => {
  key = await generateSigningKey();
  jwksServer = await startJwksServer(publicJwks(key));
});

afterEach(async () => {
  await jwksServer.close();
});

function verifierFor(options: Partial<RemoteJwksOptions> = {}) {
  return createJwtVerifier({ jwksUrl: jwksServer.url, issuer, audience, ...options });
}

function signerFor(
  signingKey: PrivateSigningJwk,
  claims: { issuer?: string; audience?: string } = {},
) {
  return createTokenSigner({
    privateJwk: signingKey,
    issuer: claims.issuer ?? issuer,
    audience: claims.audience ?? audience,
    ttlSeconds: 900,
  });
}

/** A token with hand-picked claims and times, for the cases the signer refuses to produce. */
async function craftToken(payload: Record<string, unknown>, times: { iat: number; exp: number }) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setSubject(customer.sub)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(times.iat)
    .setExpirationTime(times.exp)
    .sign(await importJWK(key, 'EdDSA'));
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => new Error('expected verification to fail'),
    (reason: unknown) => reason,
  );
  if (!(error instanceof AppError)) throw error;
  return error;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Runs `work` with a clock that moves on `stepMs` each time it is read (from half past a second),
 * so code that reads it twice sees two different seconds, as it may on a loaded machine.
 */
async function whileEachClockReadingTakes<T>(stepMs: number, work: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  let reading = Math.floor(RealDate.now() / 1000) * 1000 + 500;
  const tick = () => (reading += stepMs) - stepMs;
  class TickingDate extends RealDate {
    constructor(...args: []) {
      if (args.length > 0) super(...args);
      else super(tick());
    }
    static override now() {
      return tick();
    }
  }
  globalThis.Date = TickingDate as DateConstructor;
  try {
    return await work();
  } finally {
    globalThis.Date = RealDate;
  }
}

const now = () => Math.floor(Date.now() / 1000);

describe('token signing and verification', () => {
  test('when a token is signed and verified through the JWKS endpoint, then the user comes back', async () => {
    const token = await signerFor(key).sign(customer);

    const user = await verifierFor().verify(token);

    expect(user).toEqual({ id: customer.sub, role: 'customer', email: customer.email });
  });

  test('when a one-hour token is signed while the clock turns a second, then it is still accepted', async () => {
    const oneHourSigner = createTokenSigner({
      privateJwk: key,
      issuer,
      audience,
      ttlSeconds: 3600,
    });
    const token = await whileEachClockReadingTakes(700, () => oneHourSigner.sign(customer));

    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      iat: number;
      exp: number;
    };
    expect(claims.exp - claims.iat).toBe(3600);
    await expect(verifierFor().verify(token)).resolves.toMatchObject({ id: customer.sub });
  });

  test('when verifying many tokens, then the JWKS is fetched once', async () => {
    const verifier = verifierFor();
    const token = await signerFor(key).sign(customer);

    for (let i = 0; i < 5; i++) await verifier.verify(token);

    expect(jwksServer.fetches()).toBe(1);
  });

  test.each([
    ['an empty token', '', /missing/],
    ['a malformed token', 'not-a-jwt', /malformed/],
    ['three garbage segments', 'a.b.c', /malformed/],
  ])('when given %s, then UNAUTHENTICATED', async (_case, token, detail) => {
    const error = await rejection(verifierFor().verify(token));

    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(detail);
  });

  test('when the token has expired, then UNAUTHENTICATED says so', async () => {
    const token = await craftToken({ role: 'customer' }, { iat: now() - 1800, exp: now() - 600 });

    const error = await rejection(verifierFor().verify(token));

    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/expired/);
  });

  test('when the token was signed by another key under the real kid, then the signature is rejected', async () => {
    const forger = { ...(await generateSigningKey()), kid: key.kid };
    const token = await signerFor(forger).sign({ ...customer, role: 'customer' });

    const error = await rejection(verifierFor().verify(token));

    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/signature/);
  });

  test('when the token names a kid the JWKS does not have, then UNAUTHENTICATED', async () => {
    const token = await signerFor(await generateSigningKey()).sign(customer);

    const error = await rejection(verifierFor().verify(token));

    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/unknown key/);
  });

  test('when tokens with unknown kids keep coming, then the JWKS is refetched at most once per cooldown', async () => {
    const verifier = verifierFor({ cooldownMs: 60_000 });
    await verifier.verify(await signerFor(key).sign(customer));
    const stranger = await signerFor(await generateSigningKey()).sign(customer);

    for (let i = 0; i < 5; i++) await rejection(verifier.verify(stranger));

    expect(jwksServer.fetches()).toBe(1);
  });

  test.each([
    ['audience', { audience: 'someone-else' }, /"aud"/],
    ['issuer', { issuer: 'https://evil.example' }, /"iss"/],
  ])('when the token has the wrong %s, then UNAUTHENTICATED', async (_claim, claims, detail) => {
    const token = await signerFor(key, claims).sign(customer);

    const error = await rejection(verifierFor().verify(token));

    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(detail);
  });

  test('when the token uses alg none, then UNAUTHENTICATED', async () => {
    const claims = {
      sub: customer.sub,
      role: 'admin',
      iss: issuer,
      aud: audience,
      iat: now(),
      exp: now() + 600,
    };
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;

    const error = await rejection(verifierFor().verify(token));

    expect(error.code).toBe('UNAUTHENTICATED');
  });

  test('when the token is HMAC-signed with the public key as secret, then UNAUTHENTICATED', async () => {
    const token = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .setSubject(customer.sub)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(Buffer.from(key.x!, 'base64url'));

    const error = await rejection(verifierFor().verify(token));

    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/algorithm/);
  });

  test('when the token lives longer than an hour, then UNAUTHENTICATED', async () => {
    const token = await craftToken({ role: 'customer' }, { iat: now(), exp: now() + 7200 });

    const error = await rejection(verifierFor().verify(token));

    expect(error.message).toMatch(/one hour/);
  });

  test('when the token has no valid role, then UNAUTHENTICATED', async () => {
    const token = await craftToken({ role: 'superuser' }, { iat: now(), exp: now() + 600 });

    const error = await rejection(verifierFor().verify(token));

    expect(error.message).toMatch(/role/);
  });

  test('when identity rotates to a new key, then tokens with the new kid verify after one refetch', async () => {
    const verifier = verifierFor({ cooldownMs: 0 });
    await verifier.verify(await signerFor(key).sign(customer));
    const nextKey = await generateSigningKey();
    jwksServer.serve(publicJwks([key, nextKey]));

    const user = await verifier.verify(await signerFor(nextKey).sign(customer));

    expect(user.id).toBe(customer.sub);
    expect(jwksServer.fetches()).toBe(2);
  });

  test('when the JWKS cannot be fetched, then UPSTREAM_UNAVAILABLE, not a login problem', async () => {
    const token = await signerFor(key).sign(customer);
    await jwksServer.close();

    const error = await rejection(verifierFor().verify(token));

    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  test('when verifying against a JWKS given in memory, then no fetch is needed', async () => {
    const verifier = createJwtVerifier({ jwks: publicJwks(key), issuer, audience });

    const user = await verifier.verify(await signerFor(key).sign(customer));

    expect(user.role).toBe('customer');
    expect(jwksServer.fetches()).toBe(0);
  });
});

describe('verified tokens remembered', () => {
  // Only the clock is faked: the verifier's memory and jose's expiry check both read it.
  beforeEach(() =>
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'setInterval',
        'clearTimeout',
        'clearInterval',
        'clearImmediate',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    }),
  );
  afterEach(() => jest.useRealTimers());

  const inMemory = (options: { verifiedTtlMs?: number } = {}) =>
    createJwtVerifier({
      jwks: publicJwks(key),
      issuer,
      audience,
      clockToleranceSeconds: 0,
      ...options,
    });

  test('when a remembered token expires, then it is refused as expired', async () => {
    const verifier = inMemory();
    const token = await craftToken({ role: 'customer' }, { iat: now(), exp: now() + 30 });
    await verifier.verify(token);

    jest.setSystemTime(Date.now() + 31_000);
    const error = await rejection(verifier.verify(token));

    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/expired/);
  });

  test('when a token was verified, then a token with the same claims and a forged signature is still refused', async () => {
    const verifier = inMemory();
    const token = await craftToken({ role: 'customer' }, { iat: now(), exp: now() + 600 });
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature!.slice(0, -4)}AAAA`;

    const error = await rejection(verifier.verify(forged));

    expect(error.code).toBe('UNAUTHENTICATED');
  });

  test('when a token was verified, then recall names its user until it expires; an unverified, forged or absent token recalls nobody', async () => {
    const verifier = inMemory();
    const token = await craftToken({ role: 'customer' }, { iat: now(), exp: now() + 30 });
    const notYetVerified = verifier.recall(token);
    const user = await verifier.verify(token);
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature!.slice(0, -4)}AAAA`;

    expect(notYetVerified).toBeUndefined();
    expect(verifier.recall(token)).toEqual(user);
    expect(verifier.recall(forged)).toBeUndefined();
    expect(verifier.recall(undefined)).toBeUndefined();
    jest.setSystemTime(Date.now() + 31_000);
    expect(verifier.recall(token)).toBeUndefined();
  });

  test('when its key is withdrawn from the JWKS, then a remembered token is refused once the TTL has passed', async () => {
    const verifier = verifierFor({ verifiedTtlMs: 1_000, cacheMaxAgeMs: 1_000, cooldownMs: 0 });
    const token = await signerFor(key).sign(customer);
    await verifier.verify(token);

    jwksServer.serve(publicJwks(await generateSigningKey()));
    jest.setSystemTime(Date.now() + 2_000);
    const error = await rejection(verifier.verify(token));

    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/unknown key/);
  });
});

describe('signing keys', () => {
  test('when publishing the JWKS, then no private member is in it', () => {
    const jwks = publicJwks(key);

    expect(jwks.keys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: key.x, kid: key.kid, alg: 'EdDSA', use: 'sig' },
    ]);
  });

  test('when asked for a lifetime over an hour, then the signer refuses', () => {
    expect(() =>
      createTokenSigner({ privateJwk: key, issuer, audience, ttlSeconds: 3601 }),
    ).toThrow(RangeError);
  });
});
