// Builds the storefront (/) and the operations console (/ops) into static files the gateway
// serves: one esbuild bundle per page, minified, with source maps, and the two HTML shells.
// `node infra/compile.mjs` runs it with the rest of the compile (the images too).
//
//   node gateway/web/build.mjs          once
//   node gateway/web/build.mjs --watch  rebuild on every save (reload the page to see it)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const webRoot = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(webRoot, 'dist');

const options = {
  entryPoints: {
    storefront: path.join(webRoot, 'src/storefront/main.tsx'),
    ops: path.join(webRoot, 'src/ops/main.tsx'),
  },
  outdir: path.join(outdir, 'assets'),
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: ['chrome120', 'firefox120', 'safari17'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

function copyPages() {
  fs.mkdirSync(outdir, { recursive: true });
  for (const page of ['index.html', 'ops.html'])
    fs.copyFileSync(path.join(webRoot, 'pages', page), path.join(outdir, page));
}

export async function buildWeb() {
  fs.rmSync(outdir, { recursive: true, force: true });
  await esbuild.build(options);
  copyPages();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--watch')) {
    copyPages();
    const context = await esbuild.context({ ...options, logLevel: 'info' });
    await context.watch();
  } else {
    const started = Date.now();
    await buildWeb();
    console.log(`built the web pages in ${Date.now() - started} ms`);
  }
}
