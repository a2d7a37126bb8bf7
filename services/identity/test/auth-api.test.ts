import { randomUUID } from 'node:crypto';
import { createJwtVerifier, createTokenSigner, generateSigningKey } from '@shop/auth';
import { topics, type TokenResponse, type User } from '@shop/contracts';
import { SignJWT, decodeJwt, importJWK } from 'jose';
import type { Collector } from '@shop/messaging/testing';
import { kafka, startIdentity, type IdentityUnderTest } from './support/environment';
import { call } from './support/http';
import { waitFor } from '@shop/testkit';

jest.setTimeout(60_000);

let identity: IdentityUnderTest;
let identityEvents: Collector;

beforeAll(async () => {
  identity = await startIdentity();
  identityEvents = await kafka.collect(topics.identityEvents);
});

afterAll(async () => {
  await identityEvents?.stop();
  await identity?.close();
});

function newAccount(overrides: Partial<{ email: string; password: string; name: string }> = {}) {
  return {
    email: `ann-${randomUUID()}@example.test`,
    password: 'correct horse battery',
    name: 'Ann Example',
    ...overrides,
  };
}

async function registered(account = newAccount()): Promise<TokenResponse> {
  const answer = await call<TokenResponse>(identity.url, 'POST', '/api/auth/register', {
    body: account,
  });
  expect(answer.status).toBe(201);
  return answer.body;
}

/** Problem bodies compared without what differs per request by design. */
function withoutRequestFields(problem: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(problem).filter(([name]) => name !== 'requestId' && name !== 'instance'),
  );
}

describe('registration', () => {
  it('when a new email registers, then 201 with a customer and a token that verifies against the JWKS', async () => {
    const account = newAccount({ email: `  Ann.${randomUUID()}@Example.TEST ` });

    const answer = await call<TokenResponse>(identity.url, 'POST', '/api/auth/register', {
      body: account,
    });

    expect(answer.status).toBe(201);
    expect(answer.body.user).toMatchObject({
      email: account.email.trim().toLowerCase(),
      name: 'Ann Example',
      role: 'customer',
    });
    expect(answer.body.user.id).toMatch(/^[0-9a-f-]{36}$/);
    const verifier = createJwtVerifier({
      jwksUrl: `${identity.url}/api/auth/jwks.json`,
      issuer: identity.config.JWT_ISSUER,
      audience: identity.config.JWT_AUDIENCE,
    });
    await expect(verifier.verify(answer.body.token)).resolves.toEqual({
      id: answer.body.user.id,
      role: 'customer',
      email: answer.body.user.email,
    });
    const claims = decodeJwt(answer.body.token);
    expect(claims).toMatchObject({
      sub: answer.body.user.id,
      role: 'customer',
      iss: 'shop-identity-test',
      aud: 'shop-test',
    });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(3600);
    expect(claims.exp! * 1000).toBeLessThanOrEqual(Date.now() + 3600_000 + 5_000);
  });

  it('when the JWKS is fetched, then it holds the public key only', async () => {
    const answer = await call<{ keys: Array<Record<string, unknown>> }>(
      identity.url,
      'GET',
      '/api/auth/jwks.json',
    );

    expect(answer.status).toBe(200);
    expect(answer.body.keys).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: identity.signingKey.x,
        kid: identity.signingKey.kid,
        alg: 'EdDSA',
        use: 'sig',
      },
    ]);
  });

  it('when the email is already registered, in any case, then 409', async () => {
    const account = newAccount();
    await registered(account);

    const again = await call(identity.url, 'POST', '/api/auth/register', { body: account });
    const shouted = await call(identity.url, 'POST', '/api/auth/register', {
      body: { ...account, email: account.email.toUpperCase() },
    });

    expect(again.status).toBe(409);
    expect(shouted.status).toBe(409);
    expect(shouted.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('when the same email registers twice at once, then exactly one succeeds', async () => {
    const account = newAccount();

    const answers = await Promise.all([
      call(identity.url, 'POST', '/api/auth/register', { body: account }),
      call(identity.url, 'POST', '/api/auth/register', { body: account }),
    ]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
  });

  it.each([
    ['a short password', { password: 'short' }, 'password'],
    ['an unknown field', { role: 'admin' }, 'role'],
    ['a malformed email', { email: 'not-an-email' }, 'email'],
  ])('when the body has %s, then 400 naming the field', async (_case, change, field) => {
    const answer = await call<{ errors: Array<{ path: string }> }>(
      identity.url,
      'POST',
      '/api/auth/register',
      { body: { ...newAccount(), ...change } },
    );

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: field })]),
    );
  });

  it('when a user registers, then only a scrypt hash of the password is stored', async () => {
    const account = newAccount({ password: 'a-very-particular-password' });
    const { user } = await registered(account);

    const { rows } = await identity.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [user.id],
    );

    expect(rows[0]?.password_hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/);
    expect(rows[0]?.password_hash).not.toContain('particular');
  });

  it('when a user registers, then UserRegistered is published on identity.events.v1, keyed by the user id', async () => {
    const { user } = await registered();

    const received = await waitFor(
      () => identityEvents.messages.find((message) => message.value?.includes(user.id) ?? false),
      { what: `UserRegistered for ${user.id}` },
    );

    expect(received.key).toBe(user.id);
    expect(JSON.parse(received.value!)).toMatchObject({
      type: 'UserRegistered',
      source: 'identity',
      correlationId: user.id,
      payload: { userId: user.id, email: user.email, name: user.name },
    });
  });
});

describe('login', () => {
  it('when the password is right, then 200 with a token for that user', async () => {
    const account = newAccount();
    const { user } = await registered(account);

    const answer = await call<TokenResponse>(identity.url, 'POST', '/api/auth/login', {
      body: { email: ` ${account.email.toUpperCase()}`, password: account.password },
    });

    expect(answer.status).toBe(200);
    expect(answer.body.user).toEqual(user);
    expect(decodeJwt(answer.body.token).sub).toBe(user.id);
  });

  it('when the password is wrong or the email unknown, then the same 401 answer', async () => {
    const account = newAccount();
    await registered(account);

    const wrongPassword = await call(identity.url, 'POST', '/api/auth/login', {
      body: { email: account.email, password: 'not the password' },
    });
    const unknownEmail = await call(identity.url, 'POST', '/api/auth/login', {
      body: { email: `nobody-${randomUUID()}@example.test`, password: 'not the password' },
    });

    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(withoutRequestFields(wrongPassword.body)).toEqual(
      withoutRequestFields(unknownEmail.body),
    );
    expect(wrongPassword.headers.get('content-type')).toEqual(
      unknownEmail.headers.get('content-type'),
    );
  });
});

describe('me', () => {
  it('when called with the token, then 200 with the user', async () => {
    const { token, user } = await registered();

    const answer = await call<User>(identity.url, 'GET', '/api/auth/me', { token });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(user);
  });

  it('when called without a token, then 401', async () => {
    const answer = await call(identity.url, 'GET', '/api/auth/me');

    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('when the token has expired, then 401', async () => {
    const { user } = await registered();
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ role: user.role, email: user.email })
      .setProtectedHeader({ alg: 'EdDSA', kid: identity.signingKey.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(identity.config.JWT_ISSUER)
      .setAudience(identity.config.JWT_AUDIENCE)
      .setIssuedAt(now - 3600)
      .setExpirationTime(now - 60)
      .sign(await importJWK(identity.signingKey, 'EdDSA'));

    const answer = await call<{ detail: string }>(identity.url, 'GET', '/api/auth/me', {
      token: expired,
    });

    expect(answer.status).toBe(401);
    expect(answer.body.detail).toMatch(/expired/);
  });

  it('when the token is signed by another key under identity’s kid, then 401', async () => {
    const { user } = await registered();
    const forger = createTokenSigner({
      privateJwk: { ...(await generateSigningKey()), kid: identity.signingKey.kid },
      issuer: identity.config.JWT_ISSUER,
      audience: identity.config.JWT_AUDIENCE,
      ttlSeconds: 600,
    });
    const forged = await forger.sign({ sub: user.id, role: 'admin', email: user.email });

    const answer = await call<{ detail: string }>(identity.url, 'GET', '/api/auth/me', {
      token: forged,
    });

    expect(answer.status).toBe(401);
    expect(answer.body.detail).toMatch(/signature/);
  });
});
