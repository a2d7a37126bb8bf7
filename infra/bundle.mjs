// Bundles each service's and the gateway's compiled entry (dist/main.js, with every package it
// imports) into one file beside it, dist/main.bundle.js, which the native runner starts
// (docs/decisions/0007). Node then reads and compiles one file instead of ~1,150 modules it
// would look up one by one: a service's start takes ~0.3 s less CPU (docs/performance.md).
//
// Compiled code that reads files next to itself (a service's migrations, the messaging
// package's, the web pages) finds them by __dirname. In a bundle that would be the bundle's
// folder, so each such module gets its own: its original folder, from the workspace's root.
//
//   node infra/compile.mjs --bundle    compile, then bundle (what the native runner does)
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

/**
 * Each module that uses __dirname or __filename gets the values it had before bundling, as paths
 * from the workspace's root, which the bundle finds above itself at start (`__shopRoot`).
 */
function originalDirname(repoRoot) {
  return {
    name: 'original-dirname',
    setup(build) {
      build.onLoad({ filter: /\.c?js$/ }, async ({ path: file }) => {
        const source = await fs.promises.readFile(file, 'utf8');
        if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
        const join = (to) =>
          `require('node:path').join(__shopRoot, ${JSON.stringify(path.relative(repoRoot, to))})`;
        return {
          contents: `var __dirname = ${join(path.dirname(file))}, __filename = ${join(file)};\n${source}`,
          loader: 'js',
        };
      });
    },
  };
}

/** The bundle's first line: the workspace's root, the nearest folder above with its manifest. */
const findRoot = `const __shopRoot = (() => {
  const { existsSync } = require('node:fs');
  const { dirname, join } = require('node:path');
  let folder = __dirname;
  while (!existsSync(join(folder, 'pnpm-workspace.yaml'))) {
    if (dirname(folder) === folder) throw new Error('no pnpm-workspace.yaml above ' + __dirname);
    folder = dirname(folder);
  }
  return folder;
})();`;

/**
 * Bundles each folder's compiled dist/main.js into its dist/main.bundle.js, in one esbuild run
 * (the ~1,150 modules they share are read and parsed once).
 */
export async function bundleEntries(repoRoot, folders) {
  await esbuild.build({
    entryPoints: folders.map((folder) => ({
      in: path.join(folder, 'dist', 'main.js'),
      out: path.join(path.relative(repoRoot, folder), 'dist', 'main.bundle'),
    })),
    outdir: repoRoot,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['shop-compiled'],
    // Optional in pg and never installed; swagger-ui-dist is found on disk (require.resolve).
    external: ['pg-native', 'swagger-ui-dist'],
    // Maps back through dist/'s own maps to the TypeScript; without the sources' text, which
    // would triple the map that --enable-source-maps parses at every start.
    sourcemap: true,
    sourcesContent: false,
    banner: { js: findRoot },
    plugins: [originalDirname(repoRoot)],
    logLevel: 'warning',
  });
}
