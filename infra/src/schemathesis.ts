import fs from 'node:fs';
import path from 'node:path';
import { apiRoutes } from '@shop/contracts';
import { withLock } from './lock';
import { cacheDir } from './paths';
import { run } from './processes';

/**
 * schemathesis, the property-based fuzzer of OpenAPI documents, pinned: a newer release brings
 * new checks, and a check that starts failing is a change to review, not a surprise in CI.
 */
export const SCHEMATHESIS_VERSION = '4.32.5';

const home = path.join(cacheDir, `schemathesis-${SCHEMATHESIS_VERSION}`);
const executable = path.join(home, 'bin', 'schemathesis');

/** Installs the pinned schemathesis into a virtualenv of the project cache, once. */
export async function ensureSchemathesis(log: (line: string) => void): Promise<string> {
  if (fs.existsSync(executable)) return executable;
  await withLock(`${home}.lock`, async () => {
    if (fs.existsSync(executable)) return;
    log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${home} (one time)`);
    // A virtualenv's scripts name its interpreter by absolute path, so it is built where it
    // lives; the executable appears last, so a half-done install is redone from scratch.
    fs.rmSync(home, { recursive: true, force: true });
    await run('python3', ['-m', 'venv', home]);
    await run(path.join(home, 'bin', 'pip'), [
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `schemathesis==${SCHEMATHESIS_VERSION}`,
    ]);
  });
  return executable;
}

export interface FuzzCredentials {
  customerToken: string;
  adminToken: string;
}

/**
 * Answers that are right for a request the document calls valid: 422 is the answer to a
 * well-formed request that the state of the shop refuses (an empty cart, an unknown category, a
 * cart line past 99 units), which no schema can rule out beforehand. schemathesis' default list
 * for its positive-data check is every 2xx/3xx plus 401, 403, 404, 409 and 429.
 */
const acceptedForValidData = ['2xx', '3xx', '401', '403', '404', '409', '422', '429'];

const toml = (value: unknown) => JSON.stringify(value);

/**
 * The run's schemathesis.toml, from the same route table the document is built from: the
 * customer's token for every operation, the admin's for the admin-only ones. The tokens are
 * read from the environment (`${…}`), never written into the file.
 */
export function schemathesisConfig({ seed, maxExamples }: { seed: number; maxExamples: number }) {
  const adminOperations = apiRoutes
    .filter((route) => route.auth === 'admin')
    .map((route) => route.operationId);
  return [
    `seed = ${seed}`,
    'workers = 2',
    'headers = { Authorization = "Bearer ${SHOP_FUZZ_CUSTOMER_TOKEN}" }',
    '',
    '[generation]',
    `max-examples = ${maxExamples}`,
    '',
    '[checks.positive_data_acceptance]',
    `expected-statuses = ${toml(acceptedForValidData)}`,
    '',
    '[[operations]]',
    `include-operation-id = ${toml(adminOperations)}`,
    'headers = { Authorization = "Bearer ${SHOP_FUZZ_ADMIN_TOKEN}" }',
    '',
  ].join('\n');
}

export function schemathesisEnv({ customerToken, adminToken }: FuzzCredentials) {
  return { SHOP_FUZZ_CUSTOMER_TOKEN: customerToken, SHOP_FUZZ_ADMIN_TOKEN: adminToken };
}
