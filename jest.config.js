// One jest run for the whole workspace: a project per package, service and the gateway, so that
// the infrastructure is started once per run (globalSetup) and shared by every test file.
const fs = require('node:fs');
const path = require('node:path');

const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }];

function projectDirs() {
  const groups = ['packages', 'services'];
  const dirs = groups.flatMap((group) =>
    fs.existsSync(path.join(__dirname, group))
      ? fs.readdirSync(path.join(__dirname, group)).map((name) => path.join(group, name))
      : [],
  );
  return [...dirs, 'gateway', 'infra'].filter((dir) =>
    fs.existsSync(path.join(__dirname, dir, 'package.json')),
  );
}

module.exports = {
  globalSetup: '<rootDir>/jest.global-setup.js',
  maxWorkers: 2,
  // Tests talk to real PostgreSQL, Redis and Kafka on a 2-core machine: 5 s is too tight for a
  // consumer group join under load. This bounds a stuck test; it is not a performance limit.
  testTimeout: 30_000,
  projects: [
    ...projectDirs().map((dir) => ({
      displayName: require(path.join(__dirname, dir, 'package.json')).name,
      rootDir: path.join(__dirname, dir),
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '/test/contract/',
        '/test/containers/',
        '/test/cluster/',
      ],
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swc },
      setupFiles: [path.join(__dirname, 'jest.setup-env.js')],
    })),
    // The running system fuzzed through its gateway by schemathesis (`shop test` runs it with
    // SHOP_CONTRACT=1 after the suite, on the same native infrastructure): minutes of requests
    // that would otherwise compete with every other test for the two cores.
    ...(process.env.SHOP_CONTRACT === '1'
      ? [
          {
            displayName: 'contract',
            rootDir: path.join(__dirname, 'infra'),
            testMatch: ['<rootDir>/test/contract/**/*.test.ts'],
            testEnvironment: 'node',
            transform: { '^.+\\.ts$': swc },
            setupFiles: [path.join(__dirname, 'jest.setup-env.js')],
          },
        ]
      : []),
    // The system built into images and run by Docker Compose: a stage of its own, after the rest
    // (`shop test` runs it with SHOP_CONTAINERS=1), because it builds images for minutes.
    ...(process.env.SHOP_CONTAINERS === '1'
      ? [
          {
            displayName: 'containers',
            rootDir: path.join(__dirname, 'infra'),
            testMatch: ['<rootDir>/test/containers/**/*.test.ts'],
            testEnvironment: 'node',
            transform: { '^.+\\.ts$': swc },
          },
        ]
      : []),
    // The same images on a single-node Kubernetes of this machine (`shop test` runs it with
    // SHOP_CLUSTER=1 after the containers stage): it starts a cluster and deploys for minutes.
    ...(process.env.SHOP_CLUSTER === '1'
      ? [
          {
            displayName: 'cluster',
            rootDir: path.join(__dirname, 'infra'),
            testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
            testEnvironment: 'node',
            transform: { '^.+\\.ts$': swc },
          },
        ]
      : []),
  ],
};
