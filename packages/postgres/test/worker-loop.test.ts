import { randomBytes } from 'node:crypto';
import { waitFor } from '@shop/testkit';
import type { Pool } from 'pg';
import {
  createPool,
  startWorkerLoop,
  withTransaction,
  type RoundResult,
  type WorkerLoop,
  type WorkerLoopOptions,
} from '../src';
import { createScratchDatabase, type ScratchDatabase } from '../src/testing';
import { adminUrl, silentLogger } from './support';

let database: ScratchDatabase;
let pool: Pool;
const started: WorkerLoop[] = [];

beforeAll(async () => {
  database = await createScratchDatabase(adminUrl());
  pool = createPool({
    connectionString: database.url,
    max: 6,
    applicationName: 'worker-loop-test',
  });
  await pool.query(
    'CREATE TABLE jobs (id serial PRIMARY KEY, channel text NOT NULL, done boolean NOT NULL DEFAULT false)',
  );
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((loop) => loop.stop()));
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

/** A loop that would not look again for a minute unless woken: what a test sees, a wake-up did. */
function startLoop(options: Pick<WorkerLoopOptions, 'round'> & Partial<WorkerLoopOptions>) {
  const loop = startWorkerLoop({
    name: 'test loop',
    logger: silentLogger,
    idleMs: 60_000,
    ...options,
  });
  started.push(loop);
  return loop;
}

function newChannel(): string {
  return `worker_loop_${randomBytes(4).toString('hex')}`;
}

/** The backends listening on `channel` (idle after their LISTEN), as pg_stat_activity shows them. */
async function listenersOn(channel: string): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
     WHERE datname = current_database() AND state = 'idle' AND query = $1`,
    [`LISTEN ${channel}`],
  );
  return rows.map((row) => row.pid);
}

/** Counts rounds; each one returns what `result` says (by default: nothing to do). */
function countingRound(result: () => RoundResult = () => 'idle') {
  const counter = {
    rounds: 0,
    round: () => {
      counter.rounds += 1;
      return Promise.resolve(result());
    },
  };
  return counter;
}

test('when a job is committed with a NOTIFY, then the idle loop takes it at once, not at its next poll', async () => {
  const channel = newChannel();
  let rounds = 0;
  startLoop({
    wakeOn: { pool, channel },
    async round() {
      await pool.query('UPDATE jobs SET done = true WHERE channel = $1', [channel]);
      rounds += 1;
      return 'idle';
    },
  });
  // The first round, and the one every (re)connected listener asks for.
  await waitFor(async () => rounds === 2 && (await listenersOn(channel)).length === 1, {
    what: 'the loop to listen and go idle',
  });

  const jobId = await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ id: number }>(
      'INSERT INTO jobs (channel) VALUES ($1) RETURNING id',
      [channel],
    );
    await tx.query('SELECT pg_notify($1, $2)', [channel, '']);
    return rows[0]!.id;
  });

  await waitFor(() => rounds === 3 || undefined, { what: 'the round woken by the NOTIFY' });
  const { rows } = await pool.query<{ done: boolean }>('SELECT done FROM jobs WHERE id = $1', [
    jobId,
  ]);
  expect(rows[0]?.done).toBe(true);
});

test('when nothing wakes it, then it looks again every idleMs', async () => {
  const roundsAt: number[] = [];
  startLoop({
    idleMs: 100,
    round: () => {
      roundsAt.push(performance.now());
      return Promise.resolve('idle');
    },
  });

  await waitFor(() => roundsAt.length >= 4 || undefined, { what: 'four rounds' });

  const pauses = roundsAt.slice(1).map((at, index) => at - roundsAt[index]!);
  // A timer may fire up to a millisecond early by its rounding, never more.
  for (const pause of pauses) expect(pause).toBeGreaterThanOrEqual(99);
});

test('when a round finds more work, then the next one starts at once', async () => {
  const counter = countingRound(() => (counter.rounds < 5 ? 'more' : 'idle'));
  startLoop({ round: counter.round });

  await waitFor(() => counter.rounds === 5 || undefined, { what: 'five rounds without a pause' });
});

test('when nudged while a round runs, then the next round follows without a sleep', async () => {
  let rounds = 0;
  const loop = startLoop({
    async round() {
      await pool.query('SELECT 1');
      rounds += 1;
      if (rounds === 1) loop.nudge();
      return 'idle';
    },
  });

  await waitFor(() => rounds === 2 || undefined, { what: 'the round after the nudge' });
});

test('when a round names the next due time, then it sleeps that long, never past idleMs', async () => {
  const soon = countingRound(() => ({ idleMs: 20 }));
  const farOff = countingRound(() => ({ idleMs: 3_600_000 }));
  startLoop({ round: soon.round });
  startLoop({ idleMs: 50, round: farOff.round });

  await waitFor(() => (soon.rounds >= 3 && farOff.rounds >= 3) || undefined, {
    what: 'three rounds of each loop',
  });
});

test('when rounds fail, then it backs off longer each time up to the cap, and one success resets it', async () => {
  const script: ('fail' | RoundResult)[] = ['fail', 'fail', 'fail', 'fail', 'more', 'fail', 'idle'];
  const roundsAt: number[] = [];
  const backoffs: { failures: number; retryInMs: number }[] = [];
  startLoop({
    backoff: { baseMs: 100, maxMs: 400 },
    logger: {
      warn: () => undefined,
      error: (details) => backoffs.push(details as (typeof backoffs)[number]),
    },
    round: () => {
      roundsAt.push(performance.now());
      const step = script.shift() ?? 'idle';
      if (step === 'fail') return Promise.reject(new Error('database unreachable'));
      return Promise.resolve(step);
    },
  });

  await waitFor(() => roundsAt.length === 7 || undefined, { what: 'the scripted rounds' });

  expect(backoffs.map((backoff) => backoff.failures)).toEqual([1, 2, 3, 4, 1]);
  const [first, second, third, capped, afterReset] = backoffs.map((backoff) => backoff.retryInMs);
  expect(first).toBeGreaterThanOrEqual(50);
  expect(first).toBeLessThanOrEqual(100);
  expect(second).toBeGreaterThanOrEqual(100);
  expect(third).toBeGreaterThanOrEqual(200);
  expect(capped).toBeLessThanOrEqual(400);
  expect(afterReset).toBeLessThanOrEqual(100);
  const failedRounds = [0, 1, 2, 3, 5];
  failedRounds.forEach((round, index) => {
    expect(roundsAt[round + 1]! - roundsAt[round]!).toBeGreaterThanOrEqual(
      backoffs[index]!.retryInMs - 1,
    );
  });
});

test('when stopped while it sleeps, then it stops at once and stops listening', async () => {
  const channel = newChannel();
  const counter = countingRound();
  const loop = startLoop({ wakeOn: { pool, channel }, round: counter.round });
  await waitFor(async () => counter.rounds === 2 && (await listenersOn(channel)).length === 1, {
    what: 'the loop to listen and go idle',
  });

  const stopping = performance.now();
  await loop.stop();

  // Far below the minute it would otherwise sleep.
  expect(performance.now() - stopping).toBeLessThan(5_000);
  expect(counter.rounds).toBe(2);
  expect(await listenersOn(channel)).toEqual([]);
});

test('when stopped while it backs off after a failure, then it stops at once', async () => {
  let failures = 0;
  const loop = startLoop({
    backoff: { baseMs: 60_000, maxMs: 60_000 },
    round: () => {
      failures += 1;
      return Promise.reject(new Error('database unreachable'));
    },
  });
  await waitFor(() => failures === 1 || undefined, { what: 'the first failure' });

  const stopping = performance.now();
  await loop.stop();

  expect(performance.now() - stopping).toBeLessThan(5_000);
  expect(failures).toBe(1);
});

test.each<RoundResult>(['idle', 'more'])(
  'when stopped during a round that then says %p, then the round is told, finishes, and no other round starts',
  async (result) => {
    const events: string[] = [];
    let roundStarted: () => void = () => undefined;
    const roundHasStarted = new Promise<void>((resolve) => (roundStarted = resolve));
    const loop = startLoop({
      async round(signal) {
        events.push('round started');
        roundStarted();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        events.push('round told to stop');
        await pool.query('SELECT pg_sleep(0.2)');
        events.push('round finished');
        return result;
      },
    });
    await roundHasStarted;

    await loop.stop();
    events.push('stopped');

    expect(events).toEqual(['round started', 'round told to stop', 'round finished', 'stopped']);
  },
);

test('when its LISTEN connection is terminated, then it reconnects, looks once, and NOTIFY wakes it again', async () => {
  const channel = newChannel();
  const counter = countingRound();
  const warnings: string[] = [];
  startLoop({
    wakeOn: { pool, channel },
    round: counter.round,
    logger: { warn: (_details, message) => warnings.push(message), error: () => undefined },
  });
  const [firstListener] = await waitFor(
    async () => {
      const pids = await listenersOn(channel);
      return counter.rounds === 2 && pids.length === 1 ? pids : undefined;
    },
    { what: 'the loop to listen and go idle' },
  );

  await pool.query('SELECT pg_terminate_backend($1)', [firstListener]);

  await waitFor(
    async () => {
      const pids = await listenersOn(channel);
      return (pids.length === 1 && pids[0] !== firstListener) || undefined;
    },
    { what: 'a new LISTEN connection' },
  );
  // Rows committed while nobody listened raised no notification: it looks once on its own.
  await waitFor(() => counter.rounds === 3 || undefined, { what: 'the round after reconnecting' });
  await pool.query('SELECT pg_notify($1, $2)', [channel, '']);
  await waitFor(() => counter.rounds === 4 || undefined, {
    what: 'the round woken through the new connection',
  });
  expect(warnings).toEqual(['LISTEN connection failed or lost; reconnecting']);
});
