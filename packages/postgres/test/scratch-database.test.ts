import { Client } from 'pg';
import { createScratchDatabase } from '../src/testing';
import { adminUrl } from './support';

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

test('when a scratch database is created, then it is reachable by its url until dropped', async () => {
  const database = await createScratchDatabase(adminUrl());
  const client = new Client({ connectionString: database.url });
  client.on('error', () => undefined);
  await client.connect();
  const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');

  expect(rows[0]!.name).toBe(database.name);

  await database.drop();
  expect(await databaseExists(database.name)).toBe(false);
  await client.end().catch(() => undefined);
});
