import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Summarises the V8 CPU profiles `BENCH_CPU_PROFILE` leaves (one folder per service): where
 * each service's busy time went, by package and by function, self time only. What
 * docs/performance.md quotes before a change is chosen.
 *
 *   node --import tsx infra/src/bench/profile-summary.ts reports/profiles [top]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
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

/** A profile's script URL as a path (file: URLs for ES modules, plain paths for CommonJS). */
const pathOf = (url: string) => (url.startsWith('file:') ? fileURLToPath(url) : url);

/** Where a frame's code was written: its file and line (1-based). */
interface Origin {
  file: string;
  line: number;
}

/**
 * Finds a frame's original file through the source map beside the file it ran from, so that a
 * service started from its bundle (one file for ~1,150 modules, docs/decisions/0007) is still
 * charged package by package. Frames of files without a map stay where they ran.
 */
export function originMapper(): (frame: ProfileNode['callFrame']) => Origin {
  const maps = new Map<string, { map: SourceMap; folder: string } | undefined>();
  const mapOf = (file: string) => {
    if (!maps.has(file)) {
      const mapFile = `${file}.map`;
      maps.set(
        file,
        fs.existsSync(mapFile)
          ? {
              map: new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8')) as never),
              folder: path.dirname(file),
            }
          : undefined,
      );
    }
    return maps.get(file);
  };
  return ({ url, lineNumber, columnNumber }) => {
    const file = pathOf(url);
    const found = file ? mapOf(file) : undefined;
    const entry = found?.map.findEntry(lineNumber, columnNumber);
    if (!found || !entry || !('originalSource' in entry) || !entry.originalSource)
      return { file, line: lineNumber + 1 };
    const source = path.resolve(found.folder, pathOf(entry.originalSource));
    return { file: source, line: entry.originalLine + 1 };
  };
}

export interface ProfileSummary {
  busyMs: number;
  byPackage: [string, number][];
  /** Node's and native time charged to the nearest caller that is neither: who caused it. */
  byCaller: [string, number][];
  byFunction: [string, number][];
}

/** Self time (ms) of every sample, attributed to its package and to its function. */
export function summarise(
  profile: CpuProfile,
  originOf: (frame: ProfileNode['callFrame']) => Origin = originMapper(),
): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const origins = new Map<number, Origin>();
  const originOfNode = (id: number): Origin => {
    if (!origins.has(id)) origins.set(id, originOf(nodes.get(id)!.callFrame));
    return origins.get(id)!;
  };
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const callerOf = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const owner = packageOf(originOfNode(at).file, nodes.get(at)!.callFrame.functionName);
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
    const { functionName } = node.callFrame;
    if (idleFrames.has(functionName)) return;
    const origin = originOfNode(id);
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    busyMs += ms;
    const owner = packageOf(origin.file, functionName);
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + ms);
    const caller = callerOf(id);
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + ms);
    const where = origin.file ? `${path.basename(origin.file)}:${origin.line}` : '';
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

/**
 * A bundle compiled again after its process wrote the profile has moved its functions, and its
 * map with them: the profile's positions then name the wrong modules. Said, not guessed around.
 */
function warnIfRebuilt(file: string, profile: CpuProfile): void {
  const takenAt = fs.statSync(file).mtimeMs;
  for (const url of new Set(profile.nodes.map((node) => node.callFrame.url))) {
    const ranFrom = pathOf(url);
    if (fs.existsSync(`${ranFrom}.map`) && fs.statSync(`${ranFrom}.map`).mtimeMs > takenAt)
      console.warn(
        `${file}: ${ranFrom} was rebuilt after this profile; its frames may be misnamed`,
      );
  }
}

function main(folder: string, top: number): void {
  for (const service of fs.readdirSync(folder).sort()) {
    const dir = path.join(folder, service);
    if (!fs.statSync(dir).isDirectory()) continue;
    const files = fs.readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
    if (!files.length) continue;
    const originOf = originMapper();
    const summary = merge(
      files.map((name) => {
        const file = path.join(dir, name);
        const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
        warnIfRebuilt(file, profile);
        return summarise(profile, originOf);
      }),
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
