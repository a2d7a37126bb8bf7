import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { waitFor } from '@shop/testkit';
import { cpuBetween, sampleTrees } from '../src/bench/proc';

describe('sampling process trees from /proc', () => {
  let wrapper: ChildProcess | undefined;

  afterEach(async () => {
    if (wrapper && wrapper.exitCode === null) {
      process.kill(-wrapper.pid!, 'SIGKILL');
      await once(wrapper, 'exit');
    }
  });

  test('when a grandchild burns CPU, then the tree it belongs to is charged for it', async () => {
    // A shell that stays the parent of a node process spending 400 ms of CPU, then idling.
    const burn = 'while (process.cpuUsage().user < 400000); setInterval(() => {}, 1000);';
    wrapper = spawn('sh', ['-c', `"${process.execPath}" -e '${burn}'; true`], {
      detached: true,
    });
    const roots = { wrapper: wrapper.pid!, none: 999_999_999 };
    const before = sampleTrees(roots);

    const used = await waitFor(
      () => {
        const spent = cpuBetween(before, sampleTrees(roots));
        return (spent.wrapper ?? 0) >= 300 && spent;
      },
      { timeoutMs: 15_000, what: 'the grandchild’s CPU to show in its tree' },
    );

    expect(used.wrapper).toBeLessThan(5_000);
    const after = sampleTrees(roots);
    expect(after.wrapper!.rssMiB).toBeGreaterThan(10);
    expect(after.wrapper!.pssMiB).toBeGreaterThan(0);
    expect(after.wrapper!.pssMiB).toBeLessThanOrEqual(after.wrapper!.rssMiB);
    expect(after.none).toEqual({ cpuMs: 0, rssMiB: 0, pssMiB: 0 });
  });
});
