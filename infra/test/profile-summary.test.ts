import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { summarise } from '../src/bench/profile-summary';

const scratch: string[] = [];
afterAll(() => scratch.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

/** Writes files under a scratch folder laid out like the workspace, then bundles its entry. */
async function bundled(files: Record<string, string>): Promise<{ bundle: string; text: string }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-summary-'));
  scratch.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  const bundle = path.join(root, 'services', 'shelf', 'dist', 'main.bundle.js');
  await esbuild.build({
    entryPoints: [path.join(root, 'services', 'shelf', 'src', 'main.js')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'silent',
  });
  return { bundle, text: fs.readFileSync(bundle, 'utf8') };
}

/** The line and column (0-based, as V8 reports them) where `needle` starts in `text`. */
function positionOf(text: string, needle: string): { lineNumber: number; columnNumber: number } {
  const lines = text.slice(0, text.indexOf(needle)).split('\n');
  return { lineNumber: lines.length - 1, columnNumber: lines.at(-1)!.length };
}

describe('profile summary', () => {
  test('when a service ran from its bundle, then each sample is charged to the package it was written in', async () => {
    const { bundle, text } = await bundled({
      'services/shelf/src/main.js':
        "const { tally } = require('../../../packages/counting/src/tally');\n" +
        "const { slow } = require('left-pad-ish');\n" +
        'function serve() { return tally(3) + slow(); }\n' +
        'module.exports = { serve };\n',
      'packages/counting/src/tally.js':
        'function tally(n) { let t = 0; for (let i = 0; i < n; i++) t += i; return t; }\n' +
        'module.exports = { tally };\n',
      'node_modules/left-pad-ish/index.js':
        'function slow() { return "x".padStart(9); }\nmodule.exports = { slow };\n',
    });
    const frame = (id: number, functionName: string, needle?: string) => ({
      id,
      callFrame: {
        functionName,
        url: needle ? `file://${bundle}` : '',
        ...(needle ? positionOf(text, needle) : { lineNumber: -1, columnNumber: -1 }),
      },
    });
    const profile = {
      nodes: [
        { ...frame(1, '(root)'), children: [2, 5] },
        { ...frame(2, 'serve', 'function serve'), children: [3, 4] },
        frame(3, 'tally', 'function tally'),
        frame(4, 'slow', 'function slow'),
        frame(5, '(idle)'),
      ],
      samples: [2, 3, 3, 4, 4, 4, 5],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 5000],
    };

    const summary = summarise(profile);

    expect(summary.busyMs).toBe(6);
    expect(Object.fromEntries(summary.byPackage)).toEqual({
      'left-pad-ish': 3,
      '@shop/counting': 2,
      'service shelf': 1,
    });
    expect(summary.byFunction[0]![0]).toBe('slow index.js:1 [left-pad-ish]');
  });

  test('when a file has no source map beside it, then its frames stay where they ran', () => {
    const profile = {
      nodes: [
        {
          id: 1,
          callFrame: {
            functionName: 'parse',
            url: '/nowhere/node_modules/zod/index.js',
            lineNumber: 41,
            columnNumber: 2,
          },
        },
      ],
      samples: [1],
      timeDeltas: [2000],
    };

    const summary = summarise(profile);

    expect(summary.byPackage).toEqual([['zod', 2]]);
    expect(summary.byFunction).toEqual([['parse index.js:42 [zod]', 2]]);
  });
});
