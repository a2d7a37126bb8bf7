import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isFresh } from '../src/compiled';

/**
 * When the runner re-bundles the services before starting them (`infra/src/compiled.ts`): a
 * checkout in a temporary folder, its files dated by hand, one hour apart.
 */
let root: string;
const stamp = () => path.join(root, 'node_modules', '.shop-compiled-stamp');
const compiledAt = new Date('2026-01-01T12:00:00Z');
const before = new Date(compiledAt.getTime() - 3_600_000);
const after = new Date(compiledAt.getTime() + 3_600_000);

function write(file: string, at: Date): void {
  const full = path.join(root, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, '');
  fs.utimesSync(full, at, at);
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'compiled-'));
  for (const file of [
    'packages/kit/src/index.ts',
    'services/order/src/main.ts',
    'services/order/package.json',
    'gateway/web/src/site.css',
    'infra/compile.mjs',
    'infra/bundle.mjs',
    'pnpm-lock.yaml',
    'patches/kafkajs@2.2.4.patch',
  ]) {
    write(file, before);
  }
  write('node_modules/.shop-compiled-stamp', compiledAt);
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('when nothing changed since the last compile, then it is fresh', () => {
  expect(isFresh(stamp(), root)).toBe(true);
});

test('when there was no compile yet, then it is not fresh', () => {
  fs.rmSync(stamp());

  expect(isFresh(stamp(), root)).toBe(false);
});

test.each([
  'services/order/src/domain/saga.ts',
  'gateway/web/src/site.css',
  'services/order/package.json',
  'infra/bundle.mjs',
  'pnpm-lock.yaml',
  'patches/kafkajs@2.2.4.patch',
])('when %s changed after the last compile, then it is not fresh', (file) => {
  write(file, after);

  expect(isFresh(stamp(), root)).toBe(false);
});

test.each([
  'services/order/node_modules/pg/index.ts',
  'services/order/dist/main.bundle.mjs',
  'services/order/README.md',
])('when only %s changed, then it is still fresh', (file) => {
  write(file, after);

  expect(isFresh(stamp(), root)).toBe(true);
});
