// Compiles the TypeScript of every workspace package, service and the gateway (src/) to CommonJS
// JavaScript beside it (dist/), file by file with swc: no bundle, so a package keeps its layout and
// a compiled file's __dirname mirrors its source's (a service's migrations stay at ../migrations,
// @shop/postgres still finds the package.json above them). Only types are stripped: checking them
// is tsc's job (`pnpm typecheck`, part of `npm test`).
//
// Each package exports dist/ under the "shop-compiled" condition and its sources otherwise, so
// `node --conditions=shop-compiled services/order/dist/main.js` runs with no TypeScript loader,
// while tests, tsx and tsc keep reading src/.
//
//   node infra/compile.mjs            every package (what the container images run), and the
//                                     gateway's web pages (gateway/web/build.mjs)
//   node infra/compile.mjs --bundle   then each service's entry bundled into one file (what the
//                                     native runner starts: infra/bundle.mjs)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFile } from '@swc/core';
import { buildWeb } from '../gateway/web/build.mjs';
import { bundleEntries } from './bundle.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const packageFolders = () =>
  ['packages', 'services']
    .flatMap((group) =>
      fs.readdirSync(path.join(repoRoot, group)).map((name) => path.join(group, name)),
    )
    .concat('gateway')
    .filter((folder) => fs.existsSync(path.join(repoRoot, folder, 'src')));

function sourcesIn(folder) {
  return fs
    .readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'),
    )
    .map((entry) => path.join(entry.parentPath, entry.name));
}

async function compileFolder(folder) {
  const src = path.join(repoRoot, folder, 'src');
  const dist = path.join(repoRoot, folder, 'dist');
  fs.rmSync(dist, { recursive: true, force: true });
  const sources = sourcesIn(src);
  for (const source of sources) {
    const target = path.join(dist, path.relative(src, source)).replace(/\.ts$/, '.js');
    const { code, map } = await transformFile(source, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true },
      module: { type: 'commonjs' },
      sourceMaps: true,
      sourceFileName: path.relative(path.dirname(target), source),
    });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    fs.writeFileSync(`${target}.map`, map);
  }
  return sources.length;
}

const started = Date.now();
let files = 0;
for (const folder of packageFolders()) files += await compileFolder(folder);
await buildWeb();
const entries = packageFolders()
  .map((folder) => path.join(repoRoot, folder))
  .filter((folder) => fs.existsSync(path.join(folder, 'src', 'main.ts')));
const bundling = process.argv.includes('--bundle');
if (bundling) await bundleEntries(repoRoot, entries);
console.log(
  `compiled ${files} files of ${packageFolders().length} packages and the web pages` +
    `${bundling ? `, bundled ${entries.length} entries,` : ''} in ${Date.now() - started} ms`,
);
