import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createKafka, deleteTopicNamespace, type KafkaClient } from '@shop/messaging';
import pino from 'pino';
import { waitUntil } from '../src/processes';
import { ensureInfrastructure } from '../src/stack';

const repoRoot = path.resolve(__dirname, '..', '..');

/** Running, as opposed to gone or exited and not yet reaped (a zombie, whose pid still answers). */
function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function brokerClient(): Promise<KafkaClient> {
  const infra = await ensureInfrastructure({ quiet: true });
  return createKafka({
    brokers: infra.KAFKA_BROKERS!.split(','),
    clientId: 'interrupted-runner-test',
    logger: pino({ level: 'silent' }),
  });
}

async function topicsWithPrefix(prefix: string): Promise<string[]> {
  const admin = (await brokerClient()).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  } finally {
    await admin.disconnect();
  }
}

/** A runner holding a testbed of one service (infra/test/fixtures/runner-of-cart.ts). */
async function startRunner() {
  // node itself, not the tsx launcher: the launcher would run the runner as a child of its own.
  const runner = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'fixtures', 'runner-of-cart.ts')],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = once(runner, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const lines = readline.createInterface({ input: runner.stdout });
  const [first] = (await once(lines, 'line')) as [string];
  const bed = JSON.parse(first) as { pid: number; topicPrefix: string };
  const cleanUp = async () => {
    runner.kill('SIGKILL');
    if (isRunning(bed.pid)) process.kill(bed.pid, 'SIGKILL');
    await deleteTopicNamespace(await brokerClient(), bed.topicPrefix);
  };
  return { runner, exited, bed, cleanUp };
}

const ended = (pid: number) =>
  waitUntil(() => !isRunning(pid), { timeoutMs: 30_000, intervalMs: 100 });

describe('a runner of services (a benchmark, a chaos run, a test)', () => {
  /**
   * Ctrl-C while a testbed runs: the bed is stopped before the process exits, so that its
   * services, scratch databases and topics do not outlive the run (interrupt-cleanup.ts).
   */
  test('when it is interrupted, then it stops its services and deletes its topics before exiting', async () => {
    const { runner, exited, bed, cleanUp } = await startRunner();
    try {
      expect(isRunning(bed.pid)).toBe(true);
      expect((await topicsWithPrefix(bed.topicPrefix)).length).toBeGreaterThan(0);

      runner.kill('SIGINT');

      const [code] = await exited;
      expect(code).toBe(130);
      expect(isRunning(bed.pid)).toBe(false);
      expect(await topicsWithPrefix(bed.topicPrefix)).toEqual([]);
    } finally {
      await cleanUp();
    }
  }, 120_000);

  /**
   * Killed outright, it runs nothing; its services notice that their parent is gone and shut
   * themselves down (`shutDownWhenOrphaned` in @shop/service-kit, given SHOP_RUNNER_PID).
   */
  test('when it is killed, then the services it started shut themselves down', async () => {
    const { runner, bed, cleanUp } = await startRunner();
    try {
      expect(isRunning(bed.pid)).toBe(true);

      runner.kill('SIGKILL');

      expect(await ended(bed.pid)).toBe(true);
    } finally {
      await cleanUp();
    }
  }, 120_000);
});
