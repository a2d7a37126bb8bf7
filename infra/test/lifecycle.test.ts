import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

const exec = promisify(execFile);
const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * A second, private instance of the whole infrastructure (own data folder, own ports) so that
 * stopping and wiping it cannot disturb the instance every other test is using.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-infra-lifecycle-'));
const env = {
  ...process.env,
  SHOP_DATA_DIR: dataDir,
  // Below Linux's ephemeral range (32768–60999): a port there can be taken, between the stop and
  // the start this test makes, by any outgoing connection on the machine (a CI run once saw
  // "Address already in use" for its PostgreSQL port 55532 exactly so).
  SHOP_PG_PORT: '25532',
  SHOP_REDIS_PORT: '26479',
  SHOP_KAFKA_PORT: '29192',
  SHOP_KAFKA_CONTROLLER_PORT: '29193',
  SHOP_KAFKA_HEAP: '256m',
};

async function shop(...args: string[]): Promise<string> {
  const { stdout } = await exec(
    path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
    ['infra/src/cli.ts', ...args],
    {
      cwd: repoRoot,
      env,
    },
  );
  return stdout;
}

const settings = () =>
  JSON.parse(fs.readFileSync(path.join(dataDir, 'infra.env.json'), 'utf8')) as Record<
    string,
    string
  >;

async function withPg<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function readTopic(brokers: string, topic: string): Promise<string[]> {
  const kafka = new Kafka({
    clientId: 'lifecycle',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.filter((o) => o.high !== '0').map((o) => `${o.partition}:${o.high}`);
  } finally {
    await admin.disconnect();
  }
}

afterAll(async () => {
  await shop('infra', 'reset').catch(() => {});
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

test('when the infrastructure is stopped and started again, then its data is still there; a reset wipes it', async () => {
  await shop('infra', 'up');
  const first = settings();

  await withPg(first.DATABASE_URL_CATALOG!, async (pg) => {
    // Through the server's Unix socket, not TCP: no server address.
    const { rows } = await pg.query('SELECT inet_server_addr() AS address');
    expect(rows).toEqual([{ address: null }]);
    await pg.query('CREATE TABLE survivor (name text)');
    await pg.query("INSERT INTO survivor VALUES ('still here')");
  });
  const redis = new Redis(first.REDIS_URL!);
  await redis.set('survivor', 'still here');
  await redis.quit();
  const producer = new Kafka({
    clientId: 'lifecycle',
    brokers: [first.KAFKA_BROKERS!],
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  await producer.send({
    topic: 'order.events.v1',
    acks: -1,
    messages: [{ key: 'k', value: 'still here' }],
  });
  await producer.disconnect();
  const offsetsBefore = await readTopic(first.KAFKA_BROKERS!, 'order.events.v1');

  expect(await shop('infra', 'up')).toMatch(/already running/);
  await shop('infra', 'down');
  const status = await shop('infra', 'status').catch((error: { stdout: string }) => error.stdout);
  expect(status).toMatch(/postgres +stopped/);
  expect(status).toMatch(/kafka +stopped/);

  await shop('infra', 'up');
  const second = settings();
  expect(second).toEqual(first);
  const rows = await withPg(second.DATABASE_URL_CATALOG!, (pg) =>
    pg.query<{ name: string }>('SELECT name FROM survivor'),
  );
  expect(rows.rows).toEqual([{ name: 'still here' }]);
  const redisAgain = new Redis(second.REDIS_URL!);
  expect(await redisAgain.get('survivor')).toBe('still here');
  await redisAgain.quit();
  expect(await readTopic(second.KAFKA_BROKERS!, 'order.events.v1')).toEqual(offsetsBefore);

  await shop('infra', 'reset');
  expect(fs.existsSync(dataDir)).toBe(false);
}, 240_000);
