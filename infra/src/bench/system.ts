import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChaosBed, type ChaosBed } from '../chaos/chaos-bed';
import { everyOrder } from '../chaos/evidence';
import { gatewayClient, type GatewayClient } from '../chaos/gateway-client';
import { registerShopper, startLoad, type Shopper } from '../chaos/load';
import { stockProducts, type StockedProduct } from '../chaos/shop-fixture';
import { Timeline } from '../chaos/timeline';
import { dataDir } from '../paths';
import { readPid, waitUntil } from '../processes';
import type { ProcessName } from '../service-process';
import { cpuBetween, sampleTrees, type TreeSample } from './proc';
import { profileFolder, withProfiler } from './profiler';
import { percentile, type BenchReport, type Figure } from './report';

/**
 * The whole system under a steady checkout load, through the gateway: how many orders it
 * confirms per second, how long a saga takes, how long a killed service takes to serve a
 * checkout again, how much CPU each process spends per confirmed checkout (from /proc, the
 * infrastructure included), and how much memory every process holds (PSS beside RSS), idle and
 * under load.
 */
/** Open loop (`BENCH_RATE` checkouts started per second) or closed (60 looping shoppers). */
const arrivalsPerSecond = Number(process.env.BENCH_RATE ?? 0);
/** The figure the overload curve takes as the capacity, when this ran before it in a closed loop. */
export const confirmedMetric = 'checkouts confirmed (through the gateway)';
const parameters = {
  ...(arrivalsPerSecond > 0 ? { arrivalsPerSecond } : {}),
  // Open loop: enough shoppers that each arrival finds one idle while checkouts take seconds.
  // Closed loop: enough that the shop sets the pace, not the shoppers. A journey includes the
  // shopper's own one-second polls of its order, so 30 shoppers could not ask for more than
  // ~13 checkouts/s, where a faster 2-core machine completed ~25/s offered on a clock
  // (docs/performance.md); the cores-busy figure says whether a run saturated the machine.
  shoppers: Number(
    process.env.BENCH_SHOPPERS ?? (arrivalsPerSecond > 0 ? arrivalsPerSecond * 20 : 60),
  ),
  loadSeconds: Number(process.env.BENCH_LOAD_SECONDS ?? 60),
  warmUpSeconds: Number(process.env.BENCH_WARM_UP_SECONDS ?? 20),
  declineShare: 0,
  products: 10,
};

/**
 * `BENCH_ADMISSION=off`: the order service admits every checkout (no 503 when the saga pipeline is
 * full), the "before" of admission control's benchmark (docs/decisions/0005).
 */
const admissionOff = process.env.BENCH_ADMISSION === 'off';

/** The process tree of each service and of Kafka, Redis and PostgreSQL, by name. */
export function systemRoots(bed: ChaosBed): Record<string, number> {
  const roots: Record<string, number> = {};
  for (const name of bed.bed.names) roots[name] = bed.bed.process(name).pid;
  const kafka = readPid(path.join(dataDir, 'kafka', 'kafka.pid'));
  const redis = readPid(path.join(dataDir, 'redis', 'redis.pid'));
  const postgres = postmasterPid();
  if (kafka) roots.kafka = kafka;
  if (redis) roots.redis = redis;
  if (postgres) roots.postgres = postgres;
  return roots;
}

function postmasterPid(): number | undefined {
  for (const folder of [path.join(dataDir, 'postgres', 'data'), ...globVarLib()]) {
    const pid = readPid(path.join(folder, 'postmaster.pid'));
    if (pid) return pid;
  }
  return undefined;
}

function globVarLib(): string[] {
  const base = '/var/lib/shop';
  return fs.existsSync(base)
    ? fs.readdirSync(base).map((id) => path.join(base, id, 'postgres', 'data'))
    : [];
}

const total = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

const field = (samples: Record<string, TreeSample>, pick: (sample: TreeSample) => number) =>
  Object.fromEntries(Object.entries(samples).map(([name, sample]) => [name, pick(sample)]));

/** Kill → the first checkout placed after the kill that reaches CONFIRMED. */
async function recoveryAfterKill(
  bed: ChaosBed,
  client: GatewayClient,
  name: ProcessName,
  product: StockedProduct,
): Promise<number> {
  const shopper = (await registerShoppers(client, 1))[0]!;
  const killedAt = Date.now();
  await bed.bed.kill(name, 'SIGKILL');
  for (;;) {
    if (Date.now() - killedAt > 180_000)
      throw new Error(`no checkout succeeded within 180 s of killing ${name}`);
    const added = await client.request('bench', 'POST', '/api/cart/items', {
      token: shopper.token,
      body: { productId: product.id, quantity: 1 },
    });
    if (added.status !== 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    const placed = await client.request('bench', 'POST', '/api/orders', {
      token: shopper.token,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        shippingAddress: {
          name: 'Bench',
          line1: '1 Fast Lane',
          city: 'Oslo',
          postalCode: '0150',
          country: 'NO',
        },
        paymentToken: 'tok_visa',
      },
    });
    if (placed.status !== 202) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    const id = (placed.body as { id: string }).id;
    let status = '';
    await waitUntil(
      async () => {
        const answer = await client.request('bench', 'GET', `/api/orders/${id}`, {
          token: shopper.token,
        });
        status = (answer.body as { status?: string }).status ?? '';
        return status === 'CONFIRMED' || status === 'CANCELLED';
      },
      { timeoutMs: 180_000, intervalMs: 100 },
    );
    if (status === 'CONFIRMED') return Date.now() - killedAt;
  }
}

export async function registerShoppers(client: GatewayClient, count: number): Promise<Shopper[]> {
  const shoppers: Shopper[] = [];
  while (shoppers.length < count) {
    const batch = Math.min(10, count - shoppers.length);
    const found = await Promise.all(Array.from({ length: batch }, () => registerShopper(client)));
    for (const shopper of found) {
      if (!shopper) throw new Error('a bench shopper could not register');
      shoppers.push(shopper);
    }
  }
  return shoppers;
}

export async function runSystemBenchmark(): Promise<BenchReport> {
  const serviceEnv = withProfiler();
  if (admissionOff) serviceEnv.order = { ...serviceEnv.order, ADMISSION_CONTROL: 'false' };
  const bed = await startChaosBed(serviceEnv);
  try {
    const startedAt = new Date().toISOString();
    const client = gatewayClient(bed.bed.url('gateway'));
    const admin = await bed.bed.adminToken();
    const products = await stockProducts(client, admin, {
      plentiful: parameters.products,
      plentifulStock: 100_000,
      scarceStock: 100_000,
    });
    // Registered before the window: password hashing is identity's work, not a checkout's.
    const shoppers = await registerShoppers(client, parameters.shoppers);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const roots = systemRoots(bed);
    const idle = sampleTrees(roots);

    const timeline = new Timeline();
    const load = startLoad({
      client,
      shoppers,
      ...(arrivalsPerSecond > 0 ? { arrivalsPerSecond } : {}),
      products,
      declineShare: parameters.declineShare,
      maxOrdersPerShopper: 1_000_000,
      timeline,
    });
    // The JITs (V8's, and the broker's JVM above all) take a while to settle: the window opens after.
    await new Promise((resolve) => setTimeout(resolve, parameters.warmUpSeconds * 1000));
    const began = Date.now();
    const atStart = sampleTrees(roots);
    const generatorAtStart = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, (parameters.loadSeconds * 1000) / 2));
    const busy = sampleTrees(roots);
    await new Promise((resolve) => setTimeout(resolve, (parameters.loadSeconds * 1000) / 2));
    const windowEnd = Date.now();
    const cpuMs = cpuBetween(atStart, sampleTrees(roots));
    const generator = process.cpuUsage(generatorAtStart);
    load.stopPlacing();
    const outcome = await load.finished;
    const orders = await everyOrder(client, outcome.shoppers);
    const confirmedInWindow = orders.filter((order) => {
      const confirmed = order.history.find((entry) => entry.status === 'CONFIRMED');
      return (
        confirmed && Date.parse(confirmed.at) <= windowEnd && Date.parse(order.createdAt) >= began
      );
    });
    const sagaMs = confirmedInWindow.map(
      (order) =>
        Date.parse(order.history.find((entry) => entry.status === 'CONFIRMED')!.at) -
        Date.parse(order.createdAt),
    );

    const recovery: Figure[] = [];
    // A killed process writes no profile: under the profiler, no kills.
    for (const name of profileFolder ? [] : (['order', 'inventory', 'payment'] as const)) {
      const ms = await recoveryAfterKill(bed, client, name, products[0]!);
      recovery.push({
        metric: `recovery after SIGKILL of ${name} (kill → a checkout CONFIRMED)`,
        value: ms / 1000,
        unit: 's',
      });
    }

    const confirmed = confirmedInWindow.length;
    const windowSeconds = (windowEnd - began) / 1000;
    const generatorShare = (generator.user + generator.system) / 1000 / (windowSeconds * 10);
    const perProcess = (
      label: string,
      values: Record<string, number>,
      unit: string,
      scale = 1,
    ): Figure[] =>
      Object.entries(values).map(([name, value]) => ({
        metric: `${label}: ${name}`,
        value: value * scale,
        unit,
      }));
    return {
      benchmark: 'system',
      startedAt,
      parameters,
      figures: [
        {
          metric: confirmedMetric,
          value: confirmed / windowSeconds,
          unit: 'orders/s',
        },
        {
          metric: 'saga latency p50 (POST → CONFIRMED)',
          value: percentile(sagaMs, 50),
          unit: 'ms',
        },
        { metric: 'saga latency p99', value: percentile(sagaMs, 99), unit: 'ms' },
        {
          metric: 'orders confirmed in the window',
          value: confirmed,
          unit: 'orders',
        },
        ...(arrivalsPerSecond > 0
          ? [
              {
                metric: 'open loop: arrivals that found every shopper busy (not placed)',
                value: outcome.noIdleShopper,
                unit: 'arrivals',
              },
            ]
          : []),
        ...recovery,
        {
          metric: 'CPU per confirmed checkout: whole system',
          value: total(cpuMs) / confirmed,
          unit: 'ms',
        },
        ...perProcess('CPU per confirmed checkout', cpuMs, 'ms', 1 / confirmed),
        ...perProcess('CPU under load', cpuMs, '% of a core', 100 / (windowSeconds * 1000)),
        {
          metric: 'CPU under load: the load generator (not counted above)',
          value: generatorShare,
          unit: '% of a core',
        },
        {
          // Near 100 %, the machine was the limit and "checkouts confirmed" is its capacity;
          // well below, the shoppers (or a wait) set the pace.
          metric: 'cores busy under load: the system and the load generator',
          value: (total(cpuMs) / (windowSeconds * 10) + generatorShare) / os.availableParallelism(),
          unit: `% of ${os.availableParallelism()} cores`,
        },
        {
          metric: 'memory idle (PSS): whole system',
          value: total(field(idle, (s) => s.pssMiB)),
          unit: 'MiB',
        },
        {
          metric: 'memory idle (RSS): whole system',
          value: total(field(idle, (s) => s.rssMiB)),
          unit: 'MiB',
        },
        {
          metric: 'memory under load (PSS): whole system',
          value: total(field(busy, (s) => s.pssMiB)),
          unit: 'MiB',
        },
        ...perProcess(
          'memory idle (PSS)',
          field(idle, (s) => s.pssMiB),
          'MiB',
        ),
        ...perProcess(
          'memory idle (RSS)',
          field(idle, (s) => s.rssMiB),
          'MiB',
        ),
        ...perProcess(
          'memory under load (PSS)',
          field(busy, (s) => s.pssMiB),
          'MiB',
        ),
      ],
    };
  } finally {
    await bed.stop();
  }
}
