import path from 'node:path';

/** The repository root (infra/src/../..). */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** Where the running infrastructure keeps its data, logs and generated secrets. */
export const dataDir = path.resolve(process.env.SHOP_DATA_DIR ?? path.join(repoRoot, '.data'));

/** Downloads that can be thrown away and fetched again (Kafka jars, pnpm). */
export const cacheDir = path.resolve(process.env.SHOP_CACHE_DIR ?? path.join(repoRoot, '.cache'));

/** Connection settings of the running infrastructure, read by tests and the service runner. */
export const infraEnvFile = path.join(dataDir, 'infra.env.json');
