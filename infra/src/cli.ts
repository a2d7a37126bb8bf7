import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { interruptInProgress, stopSignals } from './interrupt-cleanup';
import { infraEnvFile, repoRoot } from './paths';
import {
  ensureInfrastructure,
  infrastructureStatus,
  resetInfrastructure,
  stopInfrastructure,
} from './stack';

// Each command loads its own modules when it runs (`await import` below), so that `start` parses
// neither the benchmarks nor chaos before it sets the infrastructure going (docs/performance.md).

const usage = `usage: shop <command>
  start                 infrastructure, every service and the gateway, demo data; Ctrl-C stops all
  test [jest args]      infrastructure up, then typecheck, lint, the whole jest suite, the
                        contract stage (schemathesis fuzzing the running system), the
                        containers stage (images built, Docker Compose; SHOP_CONTAINERS=skip)
                        and the cluster stage (the images on Kubernetes; SHOP_CLUSTER=skip)
  test:contract         the contract stage alone (schemathesis through the gateway)
  test:containers       the containers stage alone
  test:cluster          the cluster stage alone
  infra up|down|status|reset
  logs [service ...]    follow the services' logs, readable (all of them by default)
  dlq list|show|replay|demo  dead-lettered messages: inspect, replay after a fix
  demo                  a checkout through the gateway, told step by step (needs npm start)
  bench [name ...]      run the benchmarks (all by default), print one table, write reports/
  chaos                 chaos experiments`;

function step(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * What each jest run of this command counted, read from its JSON report. `test` ends on one
 * line that adds them up ("tests: N passed, N failed, N skipped"): jest's own closing lines are
 * per stage, and a reader of the whole log (CI's included) wants the total.
 */
const tally = { passed: 0, failed: 0, skipped: 0, stages: [] as string[] };

async function jestStep(
  stage: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<number> {
  const ci = process.env.CI === 'true';
  const report = path.join(repoRoot, 'reports', 'jest', `${stage}.json`);
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.rmSync(report, { force: true });
  const code = await step(
    'jest',
    [...(ci ? ['--ci'] : []), '--json', `--outputFile=${report}`, ...args],
    env,
  );
  if (fs.existsSync(report)) {
    const counts = JSON.parse(fs.readFileSync(report, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
    };
    tally.passed += counts.numPassedTests;
    tally.failed += counts.numFailedTests;
    tally.skipped += counts.numPendingTests + counts.numTodoTests;
    tally.stages.push(`${stage}: ${counts.numPassedTests} passed, ${counts.numFailedTests} failed`);
  } else {
    tally.stages.push(`${stage}: no report (jest exited ${code})`);
  }
  return code;
}

async function test(jestArgs: string[]): Promise<number> {
  try {
    return await testStages(jestArgs);
  } finally {
    console.log(`
${tally.stages.join('\n')}`);
    console.log(`tests: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
  }
}

async function testStages(jestArgs: string[]): Promise<number> {
  const ci = process.env.CI === 'true';
  try {
    await ensureInfrastructure();
    for (const [command, args] of [
      ['tsc', ['-p', 'tsconfig.json', '--noEmit']],
      ['tsc', ['-p', 'gateway/web/tsconfig.json', '--noEmit']],
      ['eslint', ['.']],
      ['prettier', ['--check', '.', '--log-level', 'warn']],
    ] as const) {
      const code = await step(command, [...args]);
      if (code !== 0) return code;
    }
    const code = await jestStep('suite', jestArgs);
    // A run narrowed by arguments is a developer's loop: the later stages are not part of it.
    if (code !== 0 || jestArgs.length > 0) return code;
    const contract = await testContract();
    if (contract !== 0) return contract;
    // Their containers need the cores and the memory the native infrastructure holds.
    if (ci) await stopInfrastructure();
    try {
      const containers = await testContainers();
      if (containers !== 0) return containers;
      return await testCluster();
    } finally {
      // CI leaves nothing running: the Docker engine too, when a stage started it (else it is
      // left alone).
      if (ci) await step('bash', ['infra/deploy/docker-engine.sh', 'down']);
    }
  } finally {
    // CI leaves nothing running; on a laptop the infrastructure stays up for fast re-runs.
    if (ci) await stopInfrastructure();
    else console.log('\ninfra: still running for the next run (`pnpm infra:down` stops it)');
  }
}

/**
 * The contract stage: the system on the native infrastructure, fuzzed through its gateway by
 * schemathesis from the OpenAPI document it serves (infra/test/contract).
 */
async function testContract(): Promise<number> {
  await ensureInfrastructure();
  return jestStep('contract', ['--selectProjects', 'contract'], { SHOP_CONTRACT: '1' });
}

/**
 * The containers stage: every image built and the system run by Docker Compose, checked through
 * its gateway (infra/test/containers). SHOP_CONTAINERS=skip leaves it out of a local run.
 */
async function testContainers(): Promise<number> {
  return imageStage('containers', 'SHOP_CONTAINERS');
}

/**
 * The cluster stage: the same images on a single-node Kubernetes of this machine, deployed with
 * the kind overlay and checked through the gateway's NodePort (infra/test/cluster); the cluster
 * is taken down at the end, also when a test fails. SHOP_CLUSTER=skip leaves it out of a local
 * run.
 */
async function testCluster(): Promise<number> {
  const code = await imageStage('cluster', 'SHOP_CLUSTER');
  if (code !== 0) await step('bash', ['infra/deploy/cluster/cluster.sh', 'down', '--purge']);
  return code;
}

async function imageStage(project: string, switchVariable: string): Promise<number> {
  const ci = process.env.CI === 'true';
  if (process.env[switchVariable] === 'skip' && !ci) {
    console.log(`\n${project}: skipped (${switchVariable}=skip)`);
    return 0;
  }
  // Images, containerd's copies of them and the cluster's volumes take several GB of a disk that
  // may be shared: a full one shows up as etcd or a pod failing, so the log says how much is free.
  const { bavail, bsize } = fs.statfsSync(repoRoot);
  console.log(`\n${project}: ${((bavail * bsize) / 1e9).toFixed(1)} GB free on the disk`);
  return jestStep(project, ['--selectProjects', project], { [switchVariable]: '1' });
}

async function infra(action: string | undefined): Promise<number> {
  switch (action) {
    case 'up': {
      const env = await ensureInfrastructure();
      await printStatus();
      console.log(`\nconnection settings: ${infraEnvFile} (${Object.keys(env).length} variables)`);
      return 0;
    }
    case 'down':
      await stopInfrastructure();
      return 0;
    case 'status':
      return (await printStatus()) ? 0 : 1;
    case 'reset':
      await resetInfrastructure();
      return 0;
    default:
      console.error(usage);
      return 2;
  }
}

async function printStatus(): Promise<boolean> {
  const status = await infrastructureStatus();
  for (const c of status) {
    console.log(
      `${c.component.padEnd(9)} ${c.running ? 'running' : 'stopped'}  ${c.endpoint.padEnd(16)} log: ${c.log}`,
    );
  }
  return status.every((c) => c.running);
}

async function start(): Promise<number> {
  const { startSystem, summary } = await import('./system.js');
  const system = await startSystem((line) => console.log(`shop: ${line}`));
  console.log(summary(system));
  const signal = await new Promise<string>((resolve) => {
    for (const name of stopSignals) process.once(name, () => resolve(name));
  });
  // From here on nothing may cut the stop short: a second Ctrl-C, or the terminal going away
  // (its SIGHUP, then EIO on every write to it), would leave PostgreSQL, Redis and Kafka running.
  for (const name of stopSignals) {
    process.on(name, () => console.log(`shop: ${name} — still stopping, one moment`));
  }
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  console.log(`\nshop: ${signal} — stopping the services and the infrastructure…`);
  await system.stop();
  console.log('shop: stopped');
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start();
    case 'test':
      return test(rest);
    case 'test:contract':
      return testContract();
    case 'test:containers':
      return testContainers();
    case 'test:cluster':
      return testCluster();
    case 'infra':
      return infra(rest[0]);
    case 'bench':
      return (await import('./bench/index.js')).runBenchmarks(rest);
    case 'demo':
      return step('tsx', ['infra/src/demo.ts']);
    case 'dlq':
      return (await import('./dlq.js')).runDlq(rest);
    case 'logs':
      return (await import('./logs.js')).followLogs(rest);
    case 'chaos':
      return (await import('./chaos/index.js')).runChaos(rest);
    default:
      console.error(usage);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A start cut short by Ctrl-C fails; the interrupt's clean-up then exits when it is done.
    if (interruptInProgress()) return;
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
