import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { edgeAutogroupNice, setAutogroupNice } from '../src/cpu-share';

const autogroups = fs.existsSync('/proc/self/autogroup');
const mayRaisePriority = process.getuid?.() === 0;

let child: ChildProcess;

beforeEach(() => {
  // A session of its own, as every service is started.
  child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
});

afterEach(() => {
  child.kill('SIGKILL');
});

const autogroupOf = (pid: number | string) =>
  fs.readFileSync(`/proc/${pid}/autogroup`, 'utf8').trim();

test("when the edge's session is given its priority, then that session alone is weighed up", () => {
  const ours = autogroups ? autogroupOf('self') : undefined;

  const result = setAutogroupNice(child.pid!, edgeAutogroupNice);

  if (autogroups && mayRaisePriority) {
    expect(result).toEqual({ set: true });
    expect(autogroupOf(child.pid!)).toMatch(new RegExp(`nice ${edgeAutogroupNice}$`));
    expect(autogroupOf('self')).toBe(ours);
  } else {
    // Without the privilege or the scheduler feature the service keeps an equal share.
    expect(result.set).toBe(false);
    expect(result.why).toBeTruthy();
  }
});
