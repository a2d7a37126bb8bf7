import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startChaosBed, type ChaosBed } from '../chaos/chaos-bed';
import { allOrders } from '../chaos/evidence';
import { gatewayClient, type GatewayClient } from '../chaos/gateway-client';
import { startLoad } from '../chaos/load';
import { stockProducts, type StockedProduct } from '../chaos/shop-fixture';
import { Timeline } from '../chaos/timeline';
import { dataDir } from '../paths';
import { readPid, waitUntil } from '../processes';
import type { ProcessName } from '../service-process';
import { percentile, type BenchReport, type Figure } from './report';

/**
 * The whole system under a steady checkout load, through the gateway: how many orders it
 * confirms per second, how long a saga takes, how long a killed service takes to serve a
 * checkout again, and how much memory every process holds, idle and under load.
 */
const parameters = {
  shoppers: Number(process.env.BENCH_SHOPPERS ?? 30),
  loadSeconds: Number(process.env.BENCH_LOAD_SECONDS ?? 60),
  declineShare: 0,
  products: 10,
};

function rssMiB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function childrenOf(parent: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false;
      }
    });
}

/** Resident memory per process of the system, the infrastructure included (PostgreSQL counts its backends). */
function memory(bed: ChaosBed): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const name of bed.bed.names) sizes[name] = rssMiB(bed.bed.process(name).pid);
  const kafka = readPid(path.join(dataDir, 'kafka', 'kafka.pid'));
  const redis = readPid(path.join(dataDir, 'redis', 'redis.pid'));
  if (kafka) sizes.kafka = rssMiB(kafka);
  if (redis) sizes.redis = rssMiB(redis);
  const postmaster = postmasterPid();
  if (postmaster)
    sizes.postgres = [postmaster, ...childrenOf(postmaster)].reduce(
      (sum, pid) => sum + rssMiB(pid),
      0,
    );
  return sizes;
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

const total = (sizes: Record<string, number>) => Object.values(sizes).reduce((a, b) => a + b, 0);

/** Kill → the first checkout placed after the kill that reaches CONFIRMED. */
async function recoveryAfterKill(
  bed: ChaosBed,
  client: GatewayClient,
  name: ProcessName,
  product: StockedProduct,
): Promise<number> {
  const shopper = await registered(client);
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

async function registered(client: GatewayClient) {
  const answer = await client.request('bench', 'POST', '/api/auth/register', {
    body: {
      email: `bench-${randomUUID().slice(0, 12)}@example.test`,
      password: randomUUID(),
      name: 'Bench',
    },
  });
  if (answer.status !== 201) throw new Error(`register: ${answer.status}`);
  return { token: (answer.body as { token: string }).token };
}

export async function runSystemBenchmark(): Promise<BenchReport> {
  const bed = await startChaosBed();
  try {
    const startedAt = new Date().toISOString();
    const client = gatewayClient(bed.bed.url('gateway'));
    const admin = await bed.bed.adminToken();
    const products = await stockProducts(client, admin, {
      plentiful: parameters.products,
      plentifulStock: 100_000,
      scarceStock: 100_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const idle = memory(bed);

    const timeline = new Timeline();
    const load = startLoad({
      client,
      shoppers: parameters.shoppers,
      products,
      declineShare: parameters.declineShare,
      maxOrdersPerShopper: 1_000_000,
      timeline,
    });
    const began = Date.now();
    await new Promise((resolve) => setTimeout(resolve, (parameters.loadSeconds * 1000) / 2));
    const busy = memory(bed);
    await new Promise((resolve) => setTimeout(resolve, (parameters.loadSeconds * 1000) / 2));
    const windowEnd = Date.now();
    load.stopPlacing();
    const outcome = await load.finished;
    const orders = (await allOrders(client, outcome.shoppers)) ?? [];
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
    for (const name of ['order', 'inventory', 'payment'] as const) {
      const ms = await recoveryAfterKill(bed, client, name, products[0]!);
      recovery.push({
        metric: `recovery after SIGKILL of ${name} (kill → a checkout CONFIRMED)`,
        value: ms / 1000,
        unit: 's',
      });
    }

    const byProcess = (label: string, sizes: Record<string, number>): Figure[] =>
      Object.entries(sizes).map(([name, mib]) => ({
        metric: `memory ${label}: ${name}`,
        value: mib,
        unit: 'MiB',
      }));
    return {
      benchmark: 'system',
      startedAt,
      parameters,
      figures: [
        {
          metric: 'checkouts confirmed (through the gateway)',
          value: confirmedInWindow.length / ((windowEnd - began) / 1000),
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
          value: confirmedInWindow.length,
          unit: 'orders',
        },
        ...recovery,
        { metric: 'memory idle: whole system', value: total(idle), unit: 'MiB' },
        { metric: 'memory under load: whole system', value: total(busy), unit: 'MiB' },
        ...byProcess('idle', idle),
        ...byProcess('under load', busy),
      ],
    };
  } finally {
    await bed.stop();
  }
}
