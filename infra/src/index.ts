export {
  ensureInfrastructure,
  infraEnvironment,
  infrastructureStatus,
  resetInfrastructure,
  stopInfrastructure,
} from './stack';
export type { ComponentStatus, InfraOptions } from './stack';
export { dataDir, infraEnvFile, repoRoot } from './paths';
export { databaseOwners } from './settings';
export type { BenchReport, Figure } from './bench/report';
