import fs from 'node:fs';
import path from 'node:path';

/**
 * Summarises the V8 CPU profiles `BENCH_CPU_PROFILE` leaves (one folder per service): where
 * each service's busy time went, by package and by function, self time only. What
 * docs/performance.md quotes before a change is chosen.
 *
 *   node --import tsx infra/src/bench/profile-summary.ts reports/profiles [top]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const idleFrames = new Set(['(idle)', '(program)']);

/** The package a frame belongs to: a dependency, one of ours, Node itself, or V8's bookkeeping. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node';
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(
    url,
  );
  if (dependency) return dependency[1]!;
  const ours = /\/(packages|services)\/([^/]+)\//.exec(url);
  if (ours) return ours[1] === 'packages' ? `@shop/${ours[2]}` : `service ${ours[2]}`;
  if (url.includes('/gateway/')) return 'service gateway';
  return url;
}

export interface ProfileSummary {
  busyMs: number;
  byPackage: [string, number][];
  /** Node's and native time charged to the nearest caller that is neither: who caused it. */
  byCaller: [string, number][];
  byFunction: [string, number][];
}

/** Self time (ms) of every sample, attributed to its package and to its function. */
export function summarise(profile: CpuProfile): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const callerOf = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const { url, functionName } = nodes.get(at)!.callFrame;
      const owner = packageOf(url, functionName);
      if (owner !== 'node' && owner !== '(native)') return owner;
    }
    return 'node';
  };
  const byCaller = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busyMs = 0;
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (idleFrames.has(functionName)) return;
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    busyMs += ms;
    const owner = packageOf(url, functionName);
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + ms);
    const caller = callerOf(id);
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + ms);
    const where = url ? `${path.basename(url)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'} ${where} [${owner}]`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  });
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return {
    busyMs,
    byPackage: sorted(byPackage),
    byCaller: sorted(byCaller),
    byFunction: sorted(byFunction),
  };
}

function merge(summaries: ProfileSummary[]): ProfileSummary {
  const add = (lists: [string, number][][]) => {
    const map = new Map<string, number>();
    for (const [name, ms] of lists.flat()) map.set(name, (map.get(name) ?? 0) + ms);
    return [...map.entries()].sort((a, b) => b[1] - a[1]);
  };
  return {
    busyMs: summaries.reduce((sum, s) => sum + s.busyMs, 0),
    byPackage: add(summaries.map((s) => s.byPackage)),
    byCaller: add(summaries.map((s) => s.byCaller)),
    byFunction: add(summaries.map((s) => s.byFunction)),
  };
}

function main(folder: string, top: number): void {
  for (const service of fs.readdirSync(folder).sort()) {
    const dir = path.join(folder, service);
    if (!fs.statSync(dir).isDirectory()) continue;
    const files = fs.readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
    if (!files.length) continue;
    const summary = merge(
      files.map((file) =>
        summarise(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile),
      ),
    );
    const share = (ms: number) => `${((100 * ms) / summary.busyMs).toFixed(1).padStart(5)} %`;
    console.log(`\n## ${service}: ${(summary.busyMs / 1000).toFixed(1)} s busy`);
    console.log('by package:');
    for (const [name, ms] of summary.byPackage.slice(0, top))
      console.log(`  ${share(ms)}  ${name}`);
    console.log('by caller (Node and native time charged to the code that called it):');
    for (const [name, ms] of summary.byCaller.slice(0, top)) console.log(`  ${share(ms)}  ${name}`);
    console.log('by function (self):');
    for (const [name, ms] of summary.byFunction.slice(0, top))
      console.log(`  ${share(ms)}  ${name}`);
  }
}

if (require.main === module)
  main(process.argv[2] ?? 'reports/profiles', Number(process.argv[3] ?? 15));
