import path from 'node:path';
import { reportsDir } from '../bench/report';
import { startChaosBed } from './chaos-bed';
import type { Experiment } from './experiments/experiment';
import { kafkaOutage } from './experiments/kafka-outage';
import { killService } from './experiments/kill-service';
import { flashSale } from './experiments/flash-sale';
import { slowCatalog } from './experiments/slow-catalog';
import { formatReport, writeChaosReport, type ExperimentReport } from './report';
import { defaultChaosOptions, runExperiment, type ChaosOptions } from './run-experiment';

export { startChaosBed, type ChaosBed } from './chaos-bed';
export { defaultChaosOptions, runExperiment, type ChaosOptions } from './run-experiment';
export { formatReport, type ExperimentReport } from './report';
export type { Experiment } from './experiments/experiment';
export type { MailView } from './evidence';
export type { ChaosTarget } from './run-experiment';
export { deployedTarget, unthrottledGateway } from './deployed-target';

/** In the order `pnpm chaos` runs them: the broker outage last, since it disturbs everyone. */
export const experiments: Experiment[] = [
  killService('inventory', 'stock reservations'),
  killService('order', 'the saga orchestrator'),
  killService('payment', 'authorizations and refunds'),
  slowCatalog,
  flashSale,
  kafkaOutage,
];

export function experimentNamed(name: string): Experiment {
  const found = experiments.find((experiment) => experiment.name === name);
  if (!found) {
    throw new Error(
      `unknown experiment ${name}; known: ${experiments.map((e) => e.name).join(', ')}`,
    );
  }
  return found;
}

/** `20s`, `1500ms`, `2m`, or a bare number of seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text} (e.g. 20s, 1500ms, 2m)`);
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(value * (unit === 'ms' ? 1 : unit === 's' ? 1_000 : 60_000));
}

export interface ChaosArguments {
  names: string[];
  options: Partial<ChaosOptions>;
  jsonFile: string | undefined;
}

export function parseChaosArguments(argv: string[]): ChaosArguments {
  const names: string[] = [];
  const options: Partial<ChaosOptions> = {};
  let jsonFile: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[(i += 1)];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--duration') options.faultMs = parseDuration(value());
    else if (arg === '--shoppers') options.shoppers = Number.parseInt(value(), 10);
    else if (arg === '--latency') options.catalogLatencyMs = parseDuration(value());
    else if (arg === '--settle') options.settleBoundMs = parseDuration(value());
    else if (arg === '--capacity') options.capacityPerSecond = Number(value());
    else if (arg === '--json') jsonFile = path.resolve(value());
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else names.push(arg);
  }
  for (const name of names) experimentNamed(name);
  return { names, options, jsonFile };
}

/**
 * `shop chaos [experiment ...] [--duration 20s] [--shoppers 20] [--latency 3s] [--settle 90s]
 * [--capacity 15] [--json file]`: one testbed of the whole system, the chosen experiments (all by default) one
 * after the other, a printed report each, reports/chaos-<experiment>.json each (and every report
 * in one file with --json). Exit code 1 when any invariant broke.
 */
export async function runChaos(argv: string[]): Promise<number> {
  const args = parseChaosArguments(argv);
  const chosen = args.names.length ? args.names.map(experimentNamed) : experiments;
  const options: ChaosOptions = { ...defaultChaosOptions, ...args.options };
  console.log(
    `chaos: starting every service and the gateway (${chosen.map((e) => e.name).join(', ')})`,
  );
  const chaosBed = await startChaosBed();
  const reports: ExperimentReport[] = [];
  try {
    for (const experiment of chosen) {
      const report = await runExperiment(chaosBed.target, experiment, options);
      console.log(`\n${formatReport(report)}`);
      writeChaosReport([report], path.join(reportsDir, `chaos-${experiment.name}.json`));
      reports.push(report);
    }
  } finally {
    await chaosBed.stop();
  }
  if (args.jsonFile) writeChaosReport(reports, args.jsonFile);
  console.log('\nchaos summary:');
  for (const report of reports) {
    const broken = report.verdicts.filter((v) => !v.holds).map((v) => v.invariant);
    console.log(
      `  ${report.passed ? 'PASS' : 'FAIL'}  ${report.experiment.padEnd(14)} ${report.outcome.ordersAcknowledged} orders` +
        (broken.length ? `; broken: ${broken.join('; ')}` : ''),
    );
  }
  console.log(`reports in ${args.jsonFile ?? reportsDir}`);
  return reports.every((report) => report.passed) ? 0 : 1;
}
