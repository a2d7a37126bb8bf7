import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../paths';

export interface Figure {
  metric: string;
  value: number;
  unit: string;
}

/** What every benchmark writes to reports/bench-<name>.json and what `pnpm bench` tabulates. */
export interface BenchReport {
  benchmark: string;
  startedAt: string;
  /** The load that produced the figures: counts, concurrency, durations. */
  parameters: Record<string, string | number | boolean>;
  figures: Figure[];
}

export const reportsDir = path.join(repoRoot, 'reports');

export function writeReport(report: BenchReport): string {
  fs.mkdirSync(reportsDir, { recursive: true });
  const file = path.join(reportsDir, `bench-${report.benchmark}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

export function formatTable(reports: BenchReport[]): string {
  const rows = reports.flatMap((report) =>
    report.figures.map((figure) => [
      report.benchmark,
      figure.metric,
      `${round(figure.value)} ${figure.unit}`,
      Object.entries(report.parameters)
        .map(([key, value]) => `${key}=${value}`)
        .join(', '),
    ]),
  );
  const header = ['benchmark', 'metric', 'value', 'load'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** Nearest-rank percentile of a sample (p in 0..100). */
export function percentile(sample: number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}
