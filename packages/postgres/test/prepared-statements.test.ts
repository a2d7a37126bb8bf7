import type { Pool } from 'pg';
import { createPool, withTransaction } from '../src';
import { StatementNamer } from '../src/prepared-statements';
import { createScratchDatabase, type ScratchDatabase } from '../src/testing';
import { adminUrl } from './support';

let database: ScratchDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createScratchDatabase(adminUrl());
  // One connection, so that every statement below runs on the connection it asks about.
  pool = createPool({ connectionString: database.url, max: 1, applicationName: 'prepared-test' });
  await pool.query('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)');
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

const insertNote = 'INSERT INTO notes (body) VALUES ($1) RETURNING id';

async function preparedRuns(statement: string): Promise<number[]> {
  const { rows } = await pool.query<{ runs: number }>(
    `SELECT (generic_plans + custom_plans)::int AS runs
     FROM pg_prepared_statements WHERE statement = $1`,
    [statement],
  );
  return rows.map((row) => row.runs);
}

test('when a parameterised statement runs again on a connection, then it is parsed once and executed from that preparation', async () => {
  for (const body of ['one', 'two', 'three']) await pool.query(insertNote, [body]);
  await withTransaction(pool, (tx) => tx.query(insertNote, ['four']));

  expect(await preparedRuns(insertNote)).toEqual([4]);
  const { rows } = await pool.query<{ body: string }>('SELECT body FROM notes ORDER BY id');
  expect(rows.map((row) => row.body)).toEqual(['one', 'two', 'three', 'four']);
});

test('when a statement without parameters runs, then it is not prepared', async () => {
  const count = 'SELECT count(*)::int AS n FROM notes';
  await pool.query(count);
  await pool.query(count);

  expect(await preparedRuns(count)).toEqual([]);
});

test('when a named statement fails, then the connection runs it again once it can succeed', async () => {
  const readTags = 'SELECT tag FROM notes WHERE id = $1';

  await expect(pool.query(readTags, [1])).rejects.toMatchObject({ code: '42703' });
  await pool.query('ALTER TABLE notes ADD COLUMN tag text');

  const { rows } = await pool.query<{ tag: string | null }>(readTags, [1]);
  expect(rows).toEqual([{ tag: null }]);
});

test('when the cap of named statements is reached, then a new text stays unnamed and a known one keeps its name', () => {
  const namer = new StatementNamer(2);
  const first = namer.nameOf('SELECT $1::int');
  const second = namer.nameOf('SELECT $1::text');

  expect(namer.nameOf('SELECT $1::uuid')).toBeUndefined();
  expect(namer.nameOf('SELECT $1::int')).toBe(first);
  expect(new Set([first, second]).size).toBe(2);
});
