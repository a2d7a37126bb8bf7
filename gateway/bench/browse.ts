/**
 * Browse throughput through the gateway against the catalog directly and (with NGINX_URL) against
 * nginx proxying the same catalog, same run, same load generator (autocannon): GET /api/products
 * and GET /api/products/:id. Writes reports/bench-browse.json in the BenchReport shape of
 * infra/src/bench/report.ts. `pnpm bench browse` starts all three.
 *
 *   CATALOG_URL=http://127.0.0.1:8082 GATEWAY_URL=http://127.0.0.1:8080 pnpm --filter @shop/gateway bench
 *
 * The gateway rate-limits per address: run it with RATE_LIMIT_PER_IP raised (e.g. 10000000) for
 * this benchmark, or the gateway figures measure 429s (the non-2xx figures say so).
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { cpuBetween, sampleTrees } from '@shop/infra/proc';

interface Figure {
  metric: string;
  value: number;
  unit: string;
}

interface BenchReport {
  benchmark: string;
  startedAt: string;
  parameters: Record<string, string | number | boolean>;
  figures: Figure[];
}

const catalogUrl = process.env.CATALOG_URL ?? 'http://127.0.0.1:8082';
const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
/** nginx as a plain reverse proxy of the same catalog: the yardstick for the gateway. */
const nginxUrl = process.env.NGINX_URL;
const durationSeconds = Number(process.env.BENCH_DURATION_S ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const warmupSeconds = 2;
/**
 * The processes whose CPU each measured load is charged to (`{"gateway": pid, …}`, set by `pnpm
 * bench browse`): CPU per request is what a throughput ratio on shared cores cannot show alone.
 */
const pids = JSON.parse(process.env.BENCH_PIDS ?? '{}') as Record<string, number>;
const reportFile = path.resolve(__dirname, '..', '..', 'reports', 'bench-browse.json');

interface Measured {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** CPU each process in BENCH_PIDS spent per answered request, in µs. */
  cpuPerRequestUs: Record<string, number>;
}

async function productIds(): Promise<string[]> {
  const response = await fetch(`${catalogUrl}/api/products?pageSize=50`);
  if (!response.ok) throw new Error(`catalog answered ${response.status} to the product list`);
  const list = (await response.json()) as { items: { id: string }[] };
  if (list.items.length === 0)
    throw new Error('the catalog has no products: start it with DEMO_DATA=true');
  return list.items.map((item) => item.id);
}

/**
 * A signed-in shopper's token (`BENCH_TOKEN`, which `pnpm bench browse` registers one for): the
 * signed-in case sends it, so the gateway verifies it and counts the user's quota too, as it does
 * for every shopper's request.
 */
const token = process.env.BENCH_TOKEN;

/** Every request of a run asks for the next id in turn, so the byId case is not one cached row. */
function paths(
  ids: string[],
  pathOf: (id: string) => string,
  headers: Record<string, string> = {},
): autocannon.Request[] {
  let next = 0;
  return [
    {
      method: 'GET',
      headers,
      setupRequest: (request) => {
        next = (next + 1) % ids.length;
        return { ...request, path: pathOf(ids[next]!) };
      },
    },
  ];
}

async function load(
  url: string,
  requests: autocannon.Request[],
  seconds: number,
  charged: string[] = [],
): Promise<Measured> {
  const roots = Object.fromEntries(Object.entries(pids).filter(([name]) => charged.includes(name)));
  const before = sampleTrees(roots);
  const result = await autocannon({ url, connections, duration: seconds, requests });
  const cpuMs = cpuBetween(before, sampleTrees(roots));
  return {
    cpuPerRequestUs: Object.fromEntries(
      Object.entries(cpuMs).map(([name, ms]) => [name, (ms * 1000) / result.requests.total]),
    ),
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** A warm-up, then the measured load; its CPU is charged to the processes named (from BENCH_PIDS). */
async function measure(
  baseUrl: string,
  requests: () => autocannon.Request[],
  charged: string[],
): Promise<Measured> {
  await load(baseUrl, requests(), warmupSeconds);
  return load(baseUrl, requests(), durationSeconds, charged);
}

/** Throughput, p50 and p99 of one way in (`<name> direct`, `<name> gateway`, …). */
function measuredFigures(label: string, measured: Measured): Figure[] {
  return [
    { metric: `${label} throughput`, value: measured.requestsPerSecond, unit: 'req/s' },
    { metric: `${label} p50`, value: measured.p50Ms, unit: 'ms' },
    { metric: `${label} p99`, value: measured.p99Ms, unit: 'ms' },
    ...Object.entries(measured.cpuPerRequestUs).map(([name, us]) => ({
      metric: `${label} CPU of ${name}`,
      value: us,
      unit: 'µs/req',
    })),
  ];
}

function figuresOf(name: string, direct: Measured, viaGateway: Measured): Figure[] {
  return [
    ...measuredFigures(`${name} direct`, direct),
    ...measuredFigures(`${name} gateway`, viaGateway),
    {
      metric: `${name} gateway/direct throughput ratio`,
      value: viaGateway.requestsPerSecond / direct.requestsPerSecond,
      unit: 'x',
    },
    { metric: `${name} gateway p50 overhead`, value: viaGateway.p50Ms - direct.p50Ms, unit: 'ms' },
    {
      metric: `${name} non-2xx (direct + gateway)`,
      value: direct.non2xx + viaGateway.non2xx,
      unit: 'responses',
    },
    {
      metric: `${name} errors (direct + gateway)`,
      value: direct.errors + viaGateway.errors,
      unit: 'errors',
    },
  ];
}

function againstNginx(name: string, nginx: Measured, viaGateway: Measured): Figure[] {
  return [
    ...measuredFigures(`${name} nginx`, nginx),
    {
      metric: `${name} gateway/nginx throughput ratio`,
      value: viaGateway.requestsPerSecond / nginx.requestsPerSecond,
      unit: 'x',
    },
    { metric: `${name} gateway/nginx p99 ratio`, value: viaGateway.p99Ms / nginx.p99Ms, unit: 'x' },
    {
      metric: `${name} gateway/nginx CPU per request ratio`,
      value: (viaGateway.cpuPerRequestUs.gateway ?? NaN) / (nginx.cpuPerRequestUs.nginx ?? NaN),
      unit: 'x',
    },
    {
      metric: `${name} nginx non-2xx + errors`,
      value: nginx.non2xx + nginx.errors,
      unit: 'responses',
    },
  ];
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const ids = await productIds();
  const list = () => paths(['1', '2', '3'], (page) => `/api/products?page=${page}&pageSize=20`);
  const byId = () => paths(ids, (id) => `/api/products/${id}`);
  const byIdSignedIn = () =>
    paths(ids, (id) => `/api/products/${id}`, { authorization: `Bearer ${token}` });

  const figures: Figure[] = [];
  for (const [name, requests] of [
    ['GET /api/products', list],
    ['GET /api/products/:id', byId],
    ...(token ? [['GET /api/products/:id signed in', byIdSignedIn] as const] : []),
  ] as const) {
    console.log(`${name}: direct…`);
    const direct = await measure(catalogUrl, requests, ['catalog']);
    console.log(`${name}: through the gateway…`);
    const viaGateway = await measure(gatewayUrl, requests, ['gateway', 'catalog']);
    figures.push(...figuresOf(name, direct, viaGateway));
    if (nginxUrl) {
      console.log(`${name}: through nginx…`);
      const viaNginx = await measure(nginxUrl, requests, ['nginx', 'catalog']);
      figures.push(...againstNginx(name, viaNginx, viaGateway));
    }
  }

  const report: BenchReport = {
    benchmark: 'browse',
    startedAt,
    parameters: { connections, durationSeconds, warmupSeconds, products: ids.length },
    figures,
  };
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  for (const figure of figures) {
    console.log(`${figure.metric.padEnd(48)} ${figure.value.toFixed(2)} ${figure.unit}`);
  }
  const failed = figures.some((figure) => /non-2xx|errors/.test(figure.metric) && figure.value > 0);
  if (failed) console.warn('some requests failed: the figures measure failures too (rate limits?)');
  console.log(`written to ${reportFile}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
