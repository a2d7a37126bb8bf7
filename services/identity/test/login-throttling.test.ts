import { randomUUID } from 'node:crypto';
import { startIdentity, type IdentityUnderTest } from './support/environment';
import { call } from './support/http';
import { waitFor } from '@shop/testkit';

jest.setTimeout(60_000);

const maxFailures = 3;
const windowSeconds = 6;

let identity: IdentityUnderTest;

beforeAll(async () => {
  identity = await startIdentity({
    LOGIN_MAX_FAILURES: String(maxFailures),
    LOGIN_FAILURE_WINDOW: `${windowSeconds}s`,
  });
});

afterAll(async () => {
  await identity?.close();
});

async function registeredAccount() {
  const account = {
    email: `bob-${randomUUID()}@example.test`,
    password: 'correct horse battery',
    name: 'Bob Example',
  };
  const answer = await call(identity.url, 'POST', '/api/auth/register', { body: account });
  expect(answer.status).toBe(201);
  return account;
}

function login(email: string, password: string) {
  return call(identity.url, 'POST', '/api/auth/login', { body: { email, password } });
}

/** In parallel, so that scrypt on a busy machine does not eat the window before the test ends. */
async function failTimes(email: string, times: number): Promise<number[]> {
  const answers = await Promise.all(
    Array.from({ length: times }, () => login(email, 'wrong password')),
  );
  return answers.map((answer) => answer.status);
}

it('when an email has failed the maximum number of times, then even the right password gets 429 until the window passes', async () => {
  const account = await registeredAccount();
  const failures = await failTimes(account.email, maxFailures);

  const throttled = await login(account.email, 'wrong password');
  const rightButThrottled = await login(account.email, account.password);

  expect(failures).toEqual(Array(maxFailures).fill(401));
  expect(throttled.status).toBe(429);
  const retryAfter = Number(throttled.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect(throttled.headers.get('ratelimit-policy')).toBe(
    `"failed-logins";q=${maxFailures};w=${windowSeconds}`,
  );
  expect(throttled.headers.get('ratelimit')).toBe(`"failed-logins";r=0;t=${retryAfter}`);
  expect(rightButThrottled.status).toBe(429);
  await waitFor(async () => (await login(account.email, account.password)).status === 200, {
    timeoutMs: (windowSeconds + 5) * 1000,
    intervalMs: 250,
    what: 'the window to pass',
  });
});

it('when a login succeeds, then the failures before it no longer count', async () => {
  const account = await registeredAccount();
  await failTimes(account.email, maxFailures - 1);

  const success = await login(account.email, account.password);
  const failuresAfter = await failTimes(account.email, maxFailures);

  expect(success.status).toBe(200);
  expect(failuresAfter).toEqual(Array(maxFailures).fill(401));
});

it('when an unknown email fails the maximum number of times, then it is throttled like a known one', async () => {
  const email = `nobody-${randomUUID()}@example.test`;
  await failTimes(email, maxFailures);

  const answer = await login(email, 'wrong password');

  expect(answer.status).toBe(429);
  expect(answer.headers.get('retry-after')).toBeTruthy();
});

it('when many wrong guesses for one email arrive at once, then no more than the maximum are checked', async () => {
  const account = await registeredAccount();

  const answers = await Promise.all(
    Array.from({ length: maxFailures * 3 }, () => login(account.email, 'wrong password')),
  );

  const statuses = answers.map((answer) => answer.status);
  expect(statuses.filter((status) => status === 401)).toHaveLength(maxFailures);
  expect(statuses.filter((status) => status === 429)).toHaveLength(maxFailures * 2);
});
