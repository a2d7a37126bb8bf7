// Reservation throughput of the inventory service, measured on its use case against the real
// Postgres (no Kafka, no HTTP): what the database's row locking allows, which bounds what the
// consumer can do. Run: pnpm --filter @shop/inventory bench (or tsx bench/reservations.ts).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { messagingMigrationsDir } from '@shop/messaging';
import { createPool, runMigrations, withTransaction, type Pool } from '@shop/postgres';
import { createScratchDatabase } from '@shop/postgres/testing';
import { createStockForProduct } from '../src/domain/product-stock';
import { reserveStock } from '../src/domain/reserve-stock';
import { migrationsDir } from '../src/service';

const repositoryRoot = path.join(__dirname, '..', '..', '..');
const benchmark = 'inventory-reservations';
const concurrency = 16;
const scenarioBudgetMs = 20_000;
const ordersPerScenario = 2_000;
const spreadProducts = 200;
const unitsPerProduct = 1_000;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The shape `pnpm bench` reads from reports/bench-<benchmark>.json and tabulates (infra's
 * `BenchReport`, infra/src/bench/report.ts); repeated here rather than making a service depend on
 * the infrastructure runner for one type.
 */
interface BenchReport {
  benchmark: string;
  startedAt: string;
  parameters: Record<string, string | number | boolean>;
  figures: Array<{ metric: string; value: number; unit: string }>;
}

interface ScenarioResult {
  /** Short, for the report's metric names. */
  scenario: string;
  description: string;
  orders: number;
  reserved: number;
  refused: number;
  seconds: number;
  reservationsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function adminUrl(): string {
  if (process.env.POSTGRES_ADMIN_URL) return process.env.POSTGRES_ADMIN_URL;
  const file = path.join(repositoryRoot, '.data', 'infra.env.json');
  if (!existsSync(file)) throw new Error('POSTGRES_ADMIN_URL is not set: run `pnpm infra:up`');
  const env = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  if (!env.POSTGRES_ADMIN_URL) throw new Error(`${file} has no POSTGRES_ADMIN_URL`);
  return env.POSTGRES_ADMIN_URL;
}

async function createProducts(pool: Pool, count: number, initialStock: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await withTransaction(pool, async (tx) => {
    for (const [index, productId] of ids.entries()) {
      await createStockForProduct(
        tx,
        {
          productId,
          sku: `BENCH-${index}`,
          name: `Bench product ${index}`,
          description: '',
          category: 'bench',
          priceCents: 100,
          currency: 'EUR',
          imageUrl: null,
          initialStock,
        },
        { correlationId: productId },
      );
    }
  });
  return ids;
}

/** Runs the orders with `concurrency` in flight, stopping early when the time budget is spent. */
async function run(
  pool: Pool,
  { scenario, description }: { scenario: string; description: string },
  orders: Array<{ productId: string; quantity: number }>,
): Promise<ScenarioResult> {
  const latencies: number[] = [];
  let reserved = 0;
  let refused = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + scenarioBudgetMs;
  async function worker(): Promise<void> {
    while (next < orders.length && performance.now() < deadline) {
      const line = orders[next++]!;
      const orderId = randomUUID();
      const sent = performance.now();
      const outcome = await withTransaction(
        pool,
        (tx) =>
          reserveStock(
            tx,
            { orderId, lines: [line] },
            { ttlMs: 900_000 },
            { correlationId: orderId },
          ),
        { retries: 3 },
      );
      latencies.push(performance.now() - sent);
      if (outcome.type === 'StockReserved') reserved += 1;
      else refused += 1;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  return {
    scenario,
    description,
    orders: latencies.length,
    reserved,
    refused,
    seconds: round(seconds),
    reservationsPerSecond: round(latencies.length / seconds),
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function reportOf(startedAt: Date, results: ScenarioResult[]): BenchReport {
  return {
    benchmark,
    startedAt: startedAt.toISOString(),
    parameters: {
      method: 'reserveStock use case against scratch Postgres, no Kafka, no HTTP',
      concurrency,
      ordersPerScenario,
      scenarioBudgetMs,
      spreadProducts,
      unitsPerProduct,
    },
    figures: results.flatMap((result) => [
      {
        metric: `${result.scenario}: throughput`,
        value: result.reservationsPerSecond,
        unit: 'reservations/s',
      },
      { metric: `${result.scenario}: latency p50`, value: result.p50Ms, unit: 'ms' },
      { metric: `${result.scenario}: latency p99`, value: result.p99Ms, unit: 'ms' },
      // Fewer than ordersPerScenario when the time budget ran out first.
      { metric: `${result.scenario}: orders answered`, value: result.orders, unit: 'orders' },
    ]),
  };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const database = await createScratchDatabase(adminUrl());
  const pool = createPool({
    connectionString: database.url,
    max: concurrency,
    applicationName: 'inventory-bench',
  });
  try {
    await runMigrations({
      databaseUrl: database.url,
      dirs: [migrationsDir, messagingMigrationsDir],
      logger: silent,
    });

    const spread = await createProducts(pool, spreadProducts, unitsPerProduct);
    const spreadOrders = Array.from({ length: ordersPerScenario }, (_, index) => ({
      productId: spread[index % spread.length]!,
      quantity: 1,
    }));
    const [hot] = await createProducts(pool, 1, unitsPerProduct);
    const hotOrders = Array.from({ length: ordersPerScenario }, () => ({
      productId: hot!,
      quantity: 1,
    }));

    const results = [
      await run(
        pool,
        {
          scenario: 'spread',
          description: `single-line orders over ${spreadProducts} products`,
        },
        spreadOrders,
      ),
      await run(
        pool,
        {
          scenario: 'contended',
          description: `every order on one product (${unitsPerProduct} units)`,
        },
        hotOrders,
      ),
    ];

    console.log(
      `inventory reservation throughput: the reserveStock use case called directly against Postgres ` +
        `(no Kafka, no HTTP), ${concurrency} in flight; a reservation is one ReserveStock answered ` +
        `(reserved or refused), one transaction with its outbox rows\n`,
    );
    console.table(results);
    const reports = path.join(repositoryRoot, 'reports');
    const file = path.join(reports, `bench-${benchmark}.json`);
    mkdirSync(reports, { recursive: true });
    writeFileSync(file, `${JSON.stringify(reportOf(startedAt, results), null, 2)}\n`);
    console.log(`\nwritten to ${path.relative(repositoryRoot, file)}`);
  } finally {
    await pool.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
