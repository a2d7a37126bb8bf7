import { randomUUID } from 'node:crypto';
import type { TokenResponse } from '@shop/contracts';
import { startIdentity, type IdentityUnderTest } from './support/environment';
import { call } from './support/http';

jest.setTimeout(60_000);

const demo = {
  DEMO_CUSTOMER_EMAIL: `demo-customer-${randomUUID()}@example.test`,
  DEMO_CUSTOMER_PASSWORD: 'demo-customer-pass',
  DEMO_ADMIN_EMAIL: `Demo-Admin-${randomUUID()}@Example.test`,
  DEMO_ADMIN_PASSWORD: 'demo-admin-pass',
};

let identity: IdentityUnderTest;

beforeAll(async () => {
  identity = await startIdentity({ DEMO_DATA: 'true', ...demo });
});

afterAll(async () => {
  await identity?.close();
});

it('when the service starts twice with demo data, then there is one demo admin and one demo customer', async () => {
  await identity.restart();

  const { rows } = await identity.db.query<{ role: string; count: number }>(
    'SELECT role, count(*)::int AS count FROM users GROUP BY role ORDER BY role',
  );
  const events = await identity.db.query<{ count: number }>(
    "SELECT count(*)::int AS count FROM outbox WHERE envelope->>'type' = 'UserRegistered'",
  );

  expect(rows).toEqual([
    { role: 'admin', count: 1 },
    { role: 'customer', count: 1 },
  ]);
  expect(events.rows[0]?.count).toBe(2);
});

it('when the demo admin logs in with the configured password, then the token says admin', async () => {
  const answer = await call<TokenResponse>(identity.url, 'POST', '/api/auth/login', {
    body: { email: demo.DEMO_ADMIN_EMAIL, password: demo.DEMO_ADMIN_PASSWORD },
  });

  expect(answer.status).toBe(200);
  expect(answer.body.user).toMatchObject({
    email: demo.DEMO_ADMIN_EMAIL.toLowerCase(),
    role: 'admin',
  });
});

it('when the demo customer logs in, then the token says customer', async () => {
  const answer = await call<TokenResponse>(identity.url, 'POST', '/api/auth/login', {
    body: { email: demo.DEMO_CUSTOMER_EMAIL, password: demo.DEMO_CUSTOMER_PASSWORD },
  });

  expect(answer.status).toBe(200);
  expect(answer.body.user.role).toBe('customer');
});
