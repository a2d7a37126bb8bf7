import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createKafka, deleteTopicNamespace } from '@shop/messaging';
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

/**
 * A runner that dies without stopping its services (SIGKILL: no handler of its own runs) must not
 * leave them running: each notices that its parent is gone and shuts itself down
 * (`shutDownWhenOrphaned` in @shop/service-kit, given SHOP_RUNNER_PID by the runner).
 */
test('when the runner that started a service is killed, then the service shuts itself down', async () => {
  // node itself, not the tsx launcher: the launcher would run the runner as a child of its own.
  const runner = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'fixtures', 'runner-of-cart.ts')],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = readline.createInterface({ input: runner.stdout });
  const [first] = (await once(lines, 'line')) as [string];
  const started = JSON.parse(first) as { pid: number; topicPrefix: string };
  try {
    expect(isRunning(started.pid)).toBe(true);

    runner.kill('SIGKILL');

    const ended = await waitUntil(() => !isRunning(started.pid), {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    expect(ended).toBe(true);
  } finally {
    runner.kill('SIGKILL');
    if (isRunning(started.pid)) process.kill(started.pid, 'SIGKILL');
    const infra = await ensureInfrastructure({ quiet: true });
    const kafka = createKafka({
      brokers: infra.KAFKA_BROKERS!.split(','),
      clientId: 'orphaned-services-test',
      logger: pino({ level: 'silent' }),
    });
    await deleteTopicNamespace(kafka, started.topicPrefix);
  }
}, 120_000);
