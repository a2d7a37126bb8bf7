import type { Pool } from 'pg';
import { createPool, withSnapshot, withTransaction } from '../src';
import { createScratchDatabase, type ScratchDatabase } from '../src/testing';
import { adminUrl } from './support';

let database: ScratchDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createScratchDatabase(adminUrl());
  pool = createPool({ connectionString: database.url, max: 4, applicationName: 'postgres-test' });
  await pool.query('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)');
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

async function notesWith(body: string): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(
    'SELECT count(*) FROM notes WHERE body = $1',
    [body],
  );
  return Number(rows[0]!.count);
}

test('when the work resolves, then its writes are committed and its result returned', async () => {
  const result = await withTransaction(pool, async (tx) => {
    await tx.query('INSERT INTO notes (body) VALUES ($1)', ['committed']);
    return 'done';
  });

  expect(result).toBe('done');
  expect(await notesWith('committed')).toBe(1);
});

test('when the work throws, then its writes are rolled back and the error rethrown', async () => {
  const failing = withTransaction(pool, async (tx) => {
    await tx.query('INSERT INTO notes (body) VALUES ($1)', ['rolled back']);
    throw new Error('boom');
  });

  await expect(failing).rejects.toThrow('boom');
  expect(await notesWith('rolled back')).toBe(0);
  expect(pool.totalCount - pool.idleCount).toBe(0);
});

test('when Postgres reports a serialization failure, then the work is retried within the bound', async () => {
  let attempts = 0;

  await withTransaction(
    pool,
    async (tx) => {
      attempts += 1;
      await tx.query('INSERT INTO notes (body) VALUES ($1)', ['retried']);
      if (attempts < 3) {
        await tx.query(
          "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$",
        );
      }
    },
    { retries: 2, isolationLevel: 'serializable' },
  );

  expect(attempts).toBe(3);
  expect(await notesWith('retried')).toBe(1);
});

test('when the failures outlast the retries, then the serialization error surfaces', async () => {
  const failing = withTransaction(
    pool,
    (tx) =>
      tx.query(
        "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'deadlock_detected'; END $$",
      ),
    { retries: 1 },
  );

  await expect(failing).rejects.toMatchObject({ code: '40P01' });
});

test('when a write commits between two reads of a snapshot, then neither read sees it', async () => {
  const seen = await withSnapshot(pool, async (tx) => {
    const count = async () =>
      Number(
        (await tx.query<{ n: string }>("SELECT count(*) AS n FROM notes WHERE body = 'between'"))
          .rows[0]!.n,
      );
    const before = await count();
    await pool.query("INSERT INTO notes (body) VALUES ('between')");
    return [before, await count()];
  });

  expect(seen).toEqual([0, 0]);
  expect(await notesWith('between')).toBe(1);
});

test('when a snapshot read tries to write, then Postgres refuses it', async () => {
  const writing = withSnapshot(pool, (tx) =>
    tx.query("INSERT INTO notes (body) VALUES ('read only')"),
  );

  await expect(writing).rejects.toThrow(/read-only transaction/);
  expect(await notesWith('read only')).toBe(0);
});
