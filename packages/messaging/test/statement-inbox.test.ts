import { randomUUID } from 'node:crypto';
import { statementInbox, type InboxEntry } from '../src';
import { createTestBed, type TestBed } from './support/environment';

jest.setTimeout(60_000);

let bed: TestBed;

beforeAll(async () => {
  bed = await createTestBed(
    `CREATE TABLE levels (id text PRIMARY KEY, level integer NOT NULL CHECK (level >= 0))`,
  );
  await bed.pool.query(`INSERT INTO levels VALUES ('shelf', 0)`);
});

afterAll(async () => {
  await bed?.close();
});

const entry = (): InboxEntry => ({
  consumer: 'statement-inbox-test',
  messageId: randomUUID(),
  topic: 'test.levels',
});

/** The one-statement effect under test: raise the shelf's level by `by`, once per message. */
const raise = (by: number) =>
  [
    `UPDATE levels SET level = level + $1
      WHERE id = 'shelf' AND EXISTS (SELECT 1 FROM inbox_entry)
      RETURNING 1`,
    [by],
  ] as const;

async function level(): Promise<number> {
  const { rows } = await bed.pool.query<{ level: number }>(
    `SELECT level FROM levels WHERE id = 'shelf'`,
  );
  return rows[0]!.level;
}

async function recorded(message: InboxEntry): Promise<boolean> {
  const { rowCount } = await bed.pool.query(
    'SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2',
    [message.consumer, message.messageId],
  );
  return rowCount === 1;
}

describe('statementInbox', () => {
  test('when a message is applied twice, then its effect happens once and the second delivery reports it was seen', async () => {
    const inbox = statementInbox(bed.pool);
    const message = entry();
    const before = await level();
    const changed: number[] = [];

    const first = await inbox.applyOnce(message, async (statement) => {
      changed.push(await statement.query(...raise(5)));
    });
    const second = await inbox.applyOnce(message, async (statement) => {
      changed.push(await statement.query(...raise(5)));
    });

    expect([first, second]).toEqual([true, false]);
    expect(changed).toEqual([1, 0]);
    expect(await level()).toBe(before + 5);
    expect(await recorded(message)).toBe(true);
  });

  test('when the statement fails, then neither the effect nor the inbox row is kept, and a redelivery applies it', async () => {
    const inbox = statementInbox(bed.pool);
    const message = entry();
    const before = await level();

    // The CHECK refuses a negative level: the whole statement, inbox row included, rolls back.
    await expect(
      inbox.applyOnce(message, (statement) =>
        statement.query(...raise(-before - 1)).then(() => {}),
      ),
    ).rejects.toThrow(/check constraint/);
    expect(await recorded(message)).toBe(false);
    expect(await level()).toBe(before);

    const redelivered = await inbox.applyOnce(message, (statement) =>
      statement.query(...raise(1)).then(() => {}),
    );

    expect(redelivered).toBe(true);
    expect(await level()).toBe(before + 1);
  });

  test('when a handler tries a second statement for one message, then it is refused', async () => {
    const inbox = statementInbox(bed.pool);
    const before = await level();

    await expect(
      inbox.applyOnce(entry(), async (statement) => {
        await statement.query(...raise(1));
        await statement.query(...raise(1));
      }),
    ).rejects.toThrow('one statement per message');
    expect(await level()).toBe(before + 1);
  });
});
