import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../src';
import { createScratchDatabase, type ScratchDatabase } from '../src/testing';
import { adminUrl, silentLogger } from './support';

const dirs = [join(__dirname, 'migrations-a'), join(__dirname, 'migrations-b')];
const scratch: ScratchDatabase[] = [];

async function freshDatabase(): Promise<string> {
  const database = await createScratchDatabase(adminUrl());
  scratch.push(database);
  return database.url;
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await Promise.all(scratch.map((database) => database.drop()));
});

test('when migrating a fresh database, then every folder is applied in file order', async () => {
  const url = await freshDatabase();

  const applied = await runMigrations({ databaseUrl: url, dirs, logger: silentLogger });

  expect(applied).toEqual([
    '1700000000000_widgets',
    '1700000000001_widget_colour',
    '1600000000000_gadgets',
  ]);
  await query(url, "INSERT INTO widgets (name, colour) VALUES ('w', 'red')");
  await query(url, 'INSERT INTO gadgets DEFAULT VALUES');
});

test('when migrating twice, then the second run applies nothing', async () => {
  const url = await freshDatabase();
  await runMigrations({ databaseUrl: url, dirs, logger: silentLogger });

  const second = await runMigrations({ databaseUrl: url, dirs, logger: silentLogger });

  expect(second).toEqual([]);
});

test('when several processes migrate at once, then each migration is applied exactly once', async () => {
  const url = await freshDatabase();

  const runs = await Promise.all(
    [1, 2, 3].map(() => runMigrations({ databaseUrl: url, dirs, logger: silentLogger })),
  );

  expect(runs.flat().sort()).toEqual(
    ['1600000000000_gadgets', '1700000000000_widgets', '1700000000001_widget_colour'].sort(),
  );
  const history = await query<{ name: string }>(
    url,
    'SELECT name FROM pgmigrations_shop_postgres_test_migrations_a',
  );
  expect(history.map((row) => row.name)).toEqual([
    '1700000000000_widgets',
    '1700000000001_widget_colour',
  ]);
});

test('when the database is not there yet (a pod starting with its server), then migrating waits for it and applies once it is', async () => {
  const name = `late_${Date.now().toString(36)}`;
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  let settled = false;
  const migrating = runMigrations({ databaseUrl: url.toString(), dirs, logger: silentLogger });
  void migrating.finally(() => (settled = true)).catch(() => undefined);

  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(settled).toBe(false);
  await query(adminUrl(), `CREATE DATABASE ${name}`);
  scratch.push({
    url: url.toString(),
    name,
    drop: () => query(adminUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => {}),
  });

  await expect(migrating).resolves.toHaveLength(3);
});

test('when nothing answers past the wait, then migrating fails with the connection error', async () => {
  const url = new URL(adminUrl());
  url.port = '1';
  // Over TCP, where nothing listens, not the server's Unix socket the URL may name.
  url.searchParams.delete('host');

  await expect(
    runMigrations({
      databaseUrl: url.toString(),
      dirs,
      logger: silentLogger,
      connectWaitMs: 1_000,
    }),
  ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
});
