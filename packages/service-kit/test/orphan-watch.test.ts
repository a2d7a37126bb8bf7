import { shutDownWhenOrphaned } from '../src';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('shutDownWhenOrphaned', () => {
  test('when the parent is still the runner, then nothing is shut down', async () => {
    const reasons: string[] = [];
    const stop = shutDownWhenOrphaned('4242', (reason) => reasons.push(reason), {
      intervalMs: 5,
      parentPid: () => 4242,
    });
    await sleep(50);
    stop();
    expect(reasons).toEqual([]);
  });

  test('when the process is adopted by another parent, then it shuts down once, naming the runner', async () => {
    let parent = 4242;
    const reasons: string[] = [];
    const stop = shutDownWhenOrphaned('4242', (reason) => reasons.push(reason), {
      intervalMs: 5,
      parentPid: () => parent,
    });
    await sleep(20);
    parent = 1;
    await sleep(50);
    stop();
    expect(reasons).toEqual(['the runner (pid 4242) is gone']);
  });

  test('when no runner is named (a container, a pod), then nothing is watched', async () => {
    const reasons: string[] = [];
    for (const runner of [undefined, '', 'not a pid', '0']) {
      shutDownWhenOrphaned(runner, (reason) => reasons.push(reason), {
        intervalMs: 5,
        parentPid: () => 1,
      });
    }
    await sleep(50);
    expect(reasons).toEqual([]);
  });
});
