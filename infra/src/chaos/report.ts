import fs from 'node:fs';
import path from 'node:path';
import { percentile } from '../bench/report';
import { isFailure, type Exchange } from './gateway-client';
import type { Verdict } from './invariants';
import type { Sample } from './probe';
import type { TimelineEvent } from './timeline';

export interface PhaseFigures {
  phase: string;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  failures: number;
  failureRate: number;
  byStatus: Record<string, number>;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface ExperimentReport {
  experiment: string;
  fault: string;
  hypothesis: string[];
  startedAt: string;
  parameters: Record<string, string | number>;
  timeline: TimelineEvent[];
  samples: Sample[];
  phases: PhaseFigures[];
  outcome: {
    shoppers: number;
    ordersAcknowledged: number;
    checkoutsAbandoned: number;
    /** From the end of the fault until no saga was in flight; null when that never happened. */
    recoverySeconds: number | null;
  };
  verdicts: Verdict[];
  passed: boolean;
}

export function phaseFigures(
  phase: string,
  exchanges: readonly Exchange[],
  from: number,
  to: number,
): PhaseFigures {
  const inPhase = exchanges.filter((e) => e.at >= from && e.at < to);
  const seconds = Math.max(0.001, (to - from) / 1000);
  const failures = inPhase.filter((e) => isFailure(e.status)).length;
  const byStatus: Record<string, number> = {};
  for (const e of inPhase) {
    const key = e.status === 0 ? 'none' : String(e.status);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }
  const latencies = inPhase.map((e) => e.ms);
  return {
    phase,
    seconds: Math.round(seconds * 10) / 10,
    requests: inPhase.length,
    requestsPerSecond: Math.round((inPhase.length / seconds) * 10) / 10,
    failures,
    failureRate: inPhase.length ? Math.round((failures / inPhase.length) * 1000) / 10 : 0,
    byStatus,
    p50Ms: latencies.length ? percentile(latencies, 50) : null,
    p99Ms: latencies.length ? percentile(latencies, 99) : null,
  };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const statuses = (byStatus: Record<string, number>) =>
  Object.entries(byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
const ms = (value: number | null) => (value === null ? '-' : String(value));

const sampleCells = (s: Sample) => [
  s.phase,
  String(s.requests),
  String(s.failures),
  statuses(s.byStatus),
  ms(s.p50Ms),
  ms(s.p99Ms),
  s.inFlightOrders === null ? '?' : String(s.inFlightOrders),
  String(s.pendingSeenByShoppers),
  s.admission ? `${s.admission.limit} / ${s.admission.shed}` : '-',
  s.eventLoop ? `${s.eventLoop.delayMs} / ${s.eventLoop.shed}` : '-',
  Object.keys(s.breakers).length === 0
    ? '(gateway silent)'
    : Object.entries(s.breakers)
        .filter(([, state]) => state !== 'closed')
        .map(([name, state]) => `${name}:${state}`)
        .join(' '),
];

/** One row per second; a run of identical quiet seconds is folded into one line. */
function secondsTable(samples: Sample[]): string {
  const rows: string[][] = [];
  let folded = 0;
  samples.forEach((sample, i) => {
    const cells = sampleCells(sample);
    const previous = i > 0 ? sampleCells(samples[i - 1]!) : undefined;
    if (previous && previous.join('|') === cells.join('|') && i < samples.length - 1) {
      folded += 1;
      return;
    }
    if (folded > 0)
      rows.push([
        '…',
        `(${folded} more seconds like the one above)`,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
      ]);
    folded = 0;
    rows.push([sample.t.toFixed(0), ...cells]);
  });
  return table(
    [
      't(s)',
      'phase',
      'req',
      'fail',
      'statuses',
      'p50ms',
      'p99ms',
      'in-flight',
      'pending(users)',
      'limit / shed',
      'gw loop ms / shed',
      'breakers not closed',
    ],
    rows,
  );
}

/** The report as a person reads it: hypothesis, what happened, what users saw, the verdicts. */
export function formatReport(report: ExperimentReport): string {
  const parts = [
    `=== chaos: ${report.experiment} — ${report.passed ? 'HYPOTHESIS HOLDS' : 'HYPOTHESIS BROKEN'} ===`,
    `fault: ${report.fault}`,
    `parameters: ${Object.entries(report.parameters)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    '',
    'steady-state hypothesis:',
    ...report.hypothesis.map((line) => `  - ${line}`),
    '',
    'timeline:',
    ...report.timeline.map((e) => `  ${e.t.toFixed(1).padStart(6)} s  ${e.event}`),
    '',
    'what the shoppers saw, second by second:',
    secondsTable(report.samples),
    '',
    'by phase:',
    table(
      ['phase', 'seconds', 'requests', 'req/s', 'failures', 'fail %', 'p50ms', 'p99ms', 'statuses'],
      report.phases.map((p) => [
        p.phase,
        String(p.seconds),
        String(p.requests),
        String(p.requestsPerSecond),
        String(p.failures),
        String(p.failureRate),
        ms(p.p50Ms),
        ms(p.p99Ms),
        statuses(p.byStatus),
      ]),
    ),
    '',
    `shoppers ${report.outcome.shoppers}, orders acknowledged ${report.outcome.ordersAcknowledged}, ` +
      `checkouts abandoned ${report.outcome.checkoutsAbandoned}, recovery ` +
      (report.outcome.recoverySeconds === null
        ? 'NOT reached'
        : `${report.outcome.recoverySeconds} s after the fault ended`),
    '',
    'invariants:',
    ...report.verdicts.flatMap((v) => [
      `  ${v.holds ? 'PASS' : 'FAIL'}  ${v.invariant}`,
      `        ${v.figures}`,
      ...v.violations.map((line) => `        ✗ ${line}`),
    ]),
  ];
  return parts.join('\n');
}

export function writeChaosReport(reports: ExperimentReport[], file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`,
  );
}
