import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gatewayClient } from '../chaos/gateway-client';
import { startNginxProxy } from '../nginx';
import { repoRoot } from '../paths';
import type { ProcessName } from '../service-process';
import { startTestbed, type Testbed, type TestbedEnv } from '../testbed';
import { runConsistencyLag } from './consistency-lag';
import { runOverloadCurve } from './overload-curve';
import { writeCpuChart } from './cpu-chart';
import { withProfiler } from './profiler';
import { registerShoppers, runSystemBenchmark } from './system';
import { formatTable, reportsDir, writeReport, type BenchReport } from './report';

interface Benchmark {
  name: string;
  what: string;
  /** `earlier`: the reports of the benchmarks run before it in the same run. */
  run: (earlier: BenchReport[]) => Promise<BenchReport>;
}

/**
 * A benchmark that lives with its service: a tsx script writing reports/bench-<name>.json, run
 * against a testbed of the services it needs (when any), which it finds through its environment.
 */
interface ScriptBed {
  services: ProcessName[];
  env: (bed: Testbed) => Record<string, string>;
  /** Something else the script measures against, started once the bed runs (nginx, say). */
  alongside?: (bed: Testbed) => Promise<{ env: Record<string, string>; stop(): Promise<void> }>;
}

function script(
  name: string,
  file: string,
  what: string,
  testbed?: ScriptBed,
  extraEnv: TestbedEnv = {},
): Benchmark {
  return {
    name,
    what,
    run: async () => {
      const bed = testbed
        ? await startTestbed(testbed.services, withProfiler(extraEnv))
        : undefined;
      try {
        const extra = bed && testbed?.alongside ? await testbed.alongside(bed) : undefined;
        try {
          const code = await new Promise<number | null>((resolve) => {
            const child = spawn(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), [file], {
              cwd: repoRoot,
              env: {
                ...process.env,
                ...(bed && testbed ? testbed.env(bed) : {}),
                ...extra?.env,
              },
              stdio: 'inherit',
            });
            child.on('exit', resolve);
          });
          if (code !== 0) throw new Error(`${file} exited with ${code}`);
        } finally {
          await extra?.stop();
        }
      } finally {
        await bed?.stop();
      }
      return JSON.parse(
        fs.readFileSync(path.join(reportsDir, `bench-${name}.json`), 'utf8'),
      ) as BenchReport;
    },
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'system',
    what: 'checkout throughput and saga latency, recovery after a kill, memory of every process',
    run: runSystemBenchmark,
  },
  {
    name: 'overload',
    what: 'goodput and saga latency at 25–400 % of capacity (open loop), with a chart',
    run: runOverloadCurve,
  },
  {
    name: 'consistency-lag',
    what: 'inventory commit → catalog read model, through Kafka',
    run: runConsistencyLag,
  },
  script(
    'inventory-reservations',
    'services/inventory/bench/reservations.ts',
    'reservations per second, spread and contended',
  ),
  script(
    'browse',
    'gateway/bench/browse.ts',
    'GET /api/products and /api/products/:id: direct, through nginx and through the gateway',
    {
      services: ['identity', 'catalog', 'gateway'],
      env: (bed) => ({ CATALOG_URL: bed.url('catalog'), GATEWAY_URL: bed.url('gateway') }),
      alongside: async (bed) => {
        const [shopper] = await registerShoppers(gatewayClient(bed.url('gateway')), 1);
        const nginx = await startNginxProxy(bed.url('catalog'));
        const pids = {
          gateway: bed.process('gateway').pid,
          catalog: bed.process('catalog').pid,
          nginx: nginx.pid,
        };
        return {
          env: {
            NGINX_URL: nginx.url,
            BENCH_TOKEN: shopper!.token,
            BENCH_PIDS: JSON.stringify(pids),
          },
          stop: () => nginx.stop(),
        };
      },
    },
    {
      catalog: { DEMO_DATA: 'true', LOG_LEVEL: 'warn' },
      // The benchmark measures proxying, not the rate limiter or the new-work gate saying no.
      gateway: { RATE_LIMIT_PER_IP: '10000000', SHED_NEW_WORK: 'false' },
    },
  ),
];

/** Runs the named benchmarks (all by default) one after the other and prints one table. */
export async function runBenchmarks(names: string[]): Promise<number> {
  const chosen = names.length ? benchmarks.filter((b) => names.includes(b.name)) : benchmarks;
  const unknown = names.filter((name) => !benchmarks.some((b) => b.name === name));
  if (unknown.length) {
    console.error(
      `unknown benchmark(s): ${unknown.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`,
    );
    return 2;
  }
  const reports: BenchReport[] = [];
  for (const benchmark of chosen) {
    console.log(`\nbench: ${benchmark.name} (${benchmark.what})`);
    const report = await benchmark.run(reports);
    writeReport(report);
    reports.push(report);
    if (benchmark.name === 'system') {
      const chart = writeCpuChart(report, reportsDir);
      if (chart) console.log(`chart of CPU per checkout, before and now: ${chart}`);
    }
  }
  console.log(`\n${formatTable(reports)}`);
  const file = path.join(reportsDir, 'bench.json');
  fs.writeFileSync(file, `${JSON.stringify(reports, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
  return 0;
}
