import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * What Linux's /proc says of a process and everything it started: the CPU it has used so far and
 * the memory it holds. A process tree, because PostgreSQL serves each connection from a backend
 * process of its own (and Kafka's JVM or a shell wrapper may have children too).
 */
export interface TreeSample {
  /** User + system CPU of the live processes, plus what their reaped children used. */
  cpuMs: number;
  /** Resident memory, each shared page counted in full by every process mapping it. */
  rssMiB: number;
  /** Proportional set size: a shared page's cost split among those mapping it; sums honestly. */
  pssMiB: number;
}

const clockTicksPerSecond = readClockTicks();

function readClockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

interface Stat {
  pid: number;
  parent: number;
  cpuTicks: number;
}

/** /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields from 3 (state) on; proc(5) numbers them from 1: ppid is 4, utime..cstime are 14..17.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (number: number) => Number(fields[number - 3] ?? 0);
  return {
    pid,
    parent: field(4),
    cpuTicks: field(14) + field(15) + field(16) + field(17),
  };
}

function allStats(): Stat[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readStat(Number(entry)))
    .filter((stat): stat is Stat => stat !== undefined);
}

function memoryKiB(pid: number): { rss: number; pss: number } {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
    return { rss: kib('Rss'), pss: kib('Pss') };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

/** One sample of each named tree, taken from one reading of /proc. */
export function sampleTrees(roots: Record<string, number>): Record<string, TreeSample> {
  const stats = allStats();
  const childrenOf = new Map<number, Stat[]>();
  for (const stat of stats)
    childrenOf.set(stat.parent, [...(childrenOf.get(stat.parent) ?? []), stat]);
  const byPid = new Map(stats.map((stat) => [stat.pid, stat]));
  const samples: Record<string, TreeSample> = {};
  for (const [name, root] of Object.entries(roots)) {
    const tree: Stat[] = [];
    const pending = [byPid.get(root)].filter((stat): stat is Stat => stat !== undefined);
    while (pending.length > 0) {
      const stat = pending.pop()!;
      tree.push(stat);
      pending.push(...(childrenOf.get(stat.pid) ?? []));
    }
    const memory = tree.map((stat) => memoryKiB(stat.pid));
    samples[name] = {
      cpuMs: (tree.reduce((sum, stat) => sum + stat.cpuTicks, 0) * 1000) / clockTicksPerSecond,
      rssMiB: memory.reduce((sum, { rss }) => sum + rss, 0) / 1024,
      pssMiB: memory.reduce((sum, { pss }) => sum + pss, 0) / 1024,
    };
  }
  return samples;
}

/** CPU each tree used between two samples, in ms. */
export function cpuBetween(
  before: Record<string, TreeSample>,
  after: Record<string, TreeSample>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([name, sample]) => [
      name,
      sample.cpuMs - (before[name]?.cpuMs ?? 0),
    ]),
  );
}
