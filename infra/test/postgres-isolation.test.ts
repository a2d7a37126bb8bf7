import { Client } from 'pg';
import { databaseOwners } from '@shop/infra';

const urlOf = (owner: string) => {
  const url = process.env[`DATABASE_URL_${owner.toUpperCase()}`];
  if (!url)
    throw new Error(`DATABASE_URL_${owner.toUpperCase()} is not set: is the infrastructure up?`);
  return url;
};

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function connectError(url: string): Promise<string | undefined> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('PostgreSQL: one database and one role per service', () => {
  test.each(databaseOwners)(
    'when %s connects to its own database, then it is let in',
    async (owner) => {
      expect(await connectError(urlOf(owner))).toBeUndefined();
    },
  );

  test.each(databaseOwners)(
    'when %s connects to any other database, then it is refused',
    async (owner) => {
      const others = [
        ...databaseOwners.filter((other) => other !== owner),
        'postgres',
        'template1',
      ];
      for (const other of others) {
        expect(await connectError(withDatabase(urlOf(owner), other))).toMatch(
          /permission denied for database/,
        );
      }
    },
  );

  test('when a service role tries to create a database or a role, then it is refused', async () => {
    const client = new Client({ connectionString: urlOf('catalog') });
    await client.connect();
    try {
      await expect(client.query('CREATE DATABASE sneaky')).rejects.toThrow(/permission denied/);
      await expect(client.query('CREATE ROLE sneaky')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  });
});
