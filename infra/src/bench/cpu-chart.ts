import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../paths';
import { writeChart } from './chart';
import type { BenchReport } from './report';

/**
 * The chart `pnpm bench system` draws: CPU milliseconds per confirmed checkout, process by
 * process and in all, for the baseline (docs/performance/bench-system-baseline.json, the run
 * before any efficiency work) beside this run. An SVG rendered to PNG by resvg, so it needs no
 * browser; DejaVu Sans is the font Debian ships.
 */
export const baselineFile = path.join(
  repoRoot,
  'docs',
  'performance',
  'bench-system-baseline.json',
);

const prefix = 'CPU per confirmed checkout: ';

function cpuByProcess(report: BenchReport): Map<string, number> {
  return new Map(
    report.figures
      .filter((figure) => figure.metric.startsWith(prefix))
      .map((figure) => [figure.metric.slice(prefix.length), figure.value]),
  );
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function cpuChartSvg(before: BenchReport, after: BenchReport): string {
  const was = cpuByProcess(before);
  const now = cpuByProcess(after);
  const names = [...new Set([...was.keys(), ...now.keys()])].sort(
    (a, b) => (was.get(b) ?? now.get(b) ?? 0) - (was.get(a) ?? now.get(a) ?? 0),
  );
  const largest = Math.max(...was.values(), ...now.values());
  const row = 34;
  const left = 150;
  const width = 760;
  const barSpace = width - left - 90;
  const top = 70;
  const height = top + names.length * row + 40;
  const bar = (y: number, value: number | undefined, colour: string) =>
    value === undefined
      ? ''
      : `<rect x="${left}" y="${y}" width="${((value / largest) * barSpace).toFixed(1)}" height="12" fill="${colour}"/>` +
        `<text x="${left + (value / largest) * barSpace + 6}" y="${y + 10}" font-size="11">${value.toFixed(1)}</text>`;
  const rows = names.map((name, index) => {
    const y = top + index * row;
    return (
      `<text x="${left - 8}" y="${y + 17}" font-size="13" text-anchor="end"${name === 'whole system' ? ' font-weight="bold"' : ''}>${escape(name)}</text>` +
      bar(y, was.get(name), '#b0b7c3') +
      bar(y + 14, now.get(name), '#2f6fdb')
    );
  });
  const day = (report: BenchReport) => report.startedAt.slice(0, 10);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans">
<rect width="100%" height="100%" fill="white"/>
<text x="20" y="28" font-size="17" font-weight="bold">CPU milliseconds per confirmed checkout, by process</text>
<rect x="20" y="42" width="12" height="12" fill="#b0b7c3"/><text x="38" y="52" font-size="12">before (${day(before)}, first baseline)</text>
<rect x="300" y="42" width="12" height="12" fill="#2f6fdb"/><text x="318" y="52" font-size="12">this run (${day(after)})</text>
${rows.join('\n')}
</svg>
`;
}

/** Writes reports/bench-system-cpu.{svg,png}; nothing when there is no baseline to compare. */
export function writeCpuChart(after: BenchReport, reportsDir: string): string | undefined {
  if (!fs.existsSync(baselineFile)) return undefined;
  const before = JSON.parse(fs.readFileSync(baselineFile, 'utf8')) as BenchReport;
  return writeChart(cpuChartSvg(before, after), reportsDir, 'bench-system-cpu');
}
