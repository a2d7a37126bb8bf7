import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { withLock } from './lock';
import { repoRoot } from './paths';

/**
 * The system's processes run compiled JavaScript, as their images do (`infra/compile.mjs`,
 * docs/decisions/0003), not TypeScript through a loader: no transpiler in the process, less
 * memory, a quicker start. Natively each service starts from one bundle of that JavaScript
 * (docs/decisions/0007). Compiling and bundling take a few seconds, redone whenever a source is
 * newer than the last compile, before a service starts; tests, tsc and tsx keep reading the
 * sources.
 */
// Beside the checkout's dependencies, not in the data directory: dist/ belongs to the checkout,
// and runs with data directories of their own (the start-stop test's) share it.
const stamp = path.join(repoRoot, 'node_modules', '.shop-compiled-stamp');
const lock = path.join(repoRoot, 'node_modules', '.shop-compile-lock');
const sourceRoots = ['packages', 'services', 'gateway'];

/**
 * When the newest input of the compile under `root` changed: the sources (TypeScript, styles,
 * pages, scripts, manifests) of packages, services and the gateway, outside node_modules and dist.
 */
function newestSourceMs(root: string = repoRoot): number {
  let newest = 0;
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(ts|tsx|css|html|mjs|patch)$/.test(entry.name) || entry.name === 'package.json')
        newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const folder of sourceRoots) visit(path.join(root, folder));
  // A change to how the workspace is compiled or bundled counts as a change to every source, and
  // so does one to what it bundles: a dependency changed in the lockfile, or patched.
  for (const file of ['infra/compile.mjs', 'infra/bundle.mjs', 'pnpm-lock.yaml']) {
    newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs);
  }
  const patches = path.join(root, 'patches');
  if (fs.existsSync(patches)) visit(patches);
  return newest;
}

/** The last compile is fresh when its stamp is no older than any input of the compile. */
export const isFresh = (stampFile: string = stamp, root: string = repoRoot): boolean =>
  fs.existsSync(stampFile) && fs.statSync(stampFile).mtimeMs >= newestSourceMs(root);

/**
 * Compiles the workspace when a source changed since the last compile. Under a lock, so that
 * concurrent starters (jest's workers, two terminals) compile once and none starts a service
 * from a half-written dist/.
 */
export async function ensureCompiled(): Promise<void> {
  if (isFresh()) return;
  await withLock(lock, () => {
    if (isFresh()) return Promise.resolve();
    const startedAt = new Date();
    execFileSync(process.execPath, [path.join(repoRoot, 'infra', 'compile.mjs'), '--bundle'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // The compile's start, not its end: a source saved during the compile is newer, so it counts.
    fs.mkdirSync(path.dirname(stamp), { recursive: true });
    fs.writeFileSync(stamp, '');
    fs.utimesSync(stamp, startedAt, startedAt);
    return Promise.resolve();
  });
}
