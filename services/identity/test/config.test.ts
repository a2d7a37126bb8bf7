import { generateSigningKey, type PrivateSigningJwk } from '@shop/auth';
import { ConfigError } from '@shop/service-kit';
import { readConfig } from '../src/config';

const required = {
  DATABASE_URL: 'postgres://identity@127.0.0.1:5432/identity',
  KAFKA_BROKERS: '127.0.0.1:9092',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('identity configuration', () => {
  let key: PrivateSigningJwk;

  beforeAll(async () => {
    key = await generateSigningKey();
  });

  it('when only the required variables are set, then tokens live an hour and 5 failures in 15 minutes are allowed', () => {
    const config = readConfig({ ...required, JWT_PRIVATE_JWK: JSON.stringify(key) });

    expect(config).toMatchObject({
      PORT: 8081,
      JWT_TTL: 3600,
      LOGIN_MAX_FAILURES: 5,
      LOGIN_FAILURE_WINDOW: 15 * 60_000,
      DEMO_DATA: false,
    });
    expect(config.JWT_PRIVATE_JWK.kid).toBe(key.kid);
  });

  it('when the signing key is missing, then start-up names it', () => {
    expect(problemsOf(required)).toContain('JWT_PRIVATE_JWK is required');
  });

  it('when the signing key is not a private JWK, then the error does not quote it', () => {
    const publicOnly = Object.fromEntries(Object.entries(key).filter(([name]) => name !== 'd'));

    for (const value of ['not json {secret-value', JSON.stringify(publicOnly)]) {
      const problems = problemsOf({ ...required, JWT_PRIVATE_JWK: value });

      expect(problems).toEqual([
        expect.stringMatching(/^JWT_PRIVATE_JWK must be a private Ed25519 JWK/),
      ]);
      expect(problems.join()).not.toContain('secret-value');
      expect(problems.join()).not.toContain(key.x);
    }
  });

  it('when JWT_TTL is over an hour, then start-up refuses it', () => {
    expect(
      problemsOf({ ...required, JWT_PRIVATE_JWK: JSON.stringify(key), JWT_TTL: '2h' }),
    ).toEqual(['JWT_TTL must be a duration between 1s and 1h']);
  });

  it('when DEMO_DATA=true without the demo accounts, then each missing variable is named', () => {
    const problems = problemsOf({
      ...required,
      JWT_PRIVATE_JWK: JSON.stringify(key),
      DEMO_DATA: 'true',
    });

    expect(problems).toEqual([
      'DEMO_CUSTOMER_EMAIL is required',
      'DEMO_CUSTOMER_PASSWORD is required',
      'DEMO_ADMIN_EMAIL is required',
      'DEMO_ADMIN_PASSWORD is required',
    ]);
  });
});
