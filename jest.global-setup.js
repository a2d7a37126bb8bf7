// Idempotent: finds the infrastructure already running (the test command starts it first) or
// brings it up, so that `pnpm exec jest path/to/test` works on its own too.
require('tsx/cjs');

module.exports = async function globalSetup() {
  // The containers stage runs its own PostgreSQL, Redis and Kafka, in containers.
  if (process.env.SHOP_CONTAINERS === '1') return;
  const { ensureInfrastructure } = require('./infra/src/index.ts');
  await ensureInfrastructure({ quiet: true });
};
