import { allTopics } from '@shop/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import {
  createdAt,
  leftoverAfterMs,
  leftoverDatabases,
  leftoverTopics,
  sweepLeftovers,
} from '../src/leftovers';

const hours = (n: number) => n * 60 * 60 * 1000;
const base36 = (time: number) => time.toString(36);

describe('what killed test runs leave behind', () => {
  const now = Date.UTC(2026, 11, 7, 12);
  const old = now - hours(7);
  const recent = now - hours(1);
  const before = now - leftoverAfterMs;

  test('when a name carries its creation time, then it is read from each way the runs name things', () => {
    expect(createdAt(`t-bed-${base36(old)}a12d.`)).toBe(old);
    expect(createdAt(`t-${base36(old)}-0f3a9c.`)).toBe(old);
    expect(createdAt(`lag-${base36(old)}-0f3a9c.`)).toBe(old);
    expect(createdAt(`scratch_${base36(old)}_1a214a60`)).toBe(old);
    // Words are not times.
    expect(createdAt('collector.')).toBeUndefined();
    expect(createdAt('t-bed-.')).toBeUndefined();
  });

  test('when topics are listed, then only old namespaced copies of contract topics are leftovers', () => {
    const topics = [
      'order.events.v1',
      'order.events.v1.dlq',
      `t-bed-${base36(old)}a12d.order.events.v1`,
      `t-bed-${base36(old)}a12d.order.events.v1.dlq`,
      `t-${base36(recent)}-0f3a9c.order.events.v1`,
      `lag-${base36(old)}-0f3a9c.payment.events.v1`,
      `someone-elses-${base36(old)}-topic`,
    ];
    expect(leftoverTopics(topics, allTopics(), before)).toEqual([
      `t-bed-${base36(old)}a12d.order.events.v1`,
      `t-bed-${base36(old)}a12d.order.events.v1.dlq`,
      `lag-${base36(old)}-0f3a9c.payment.events.v1`,
    ]);
  });

  test('when databases are listed, then only old scratch databases are leftovers', () => {
    const databases = [
      'order',
      `scratch_${base36(old)}_1a214a60`,
      `scratch_${base36(recent)}_1a214a61`,
      `order_${base36(old)}_1a214a62`,
    ];
    expect(leftoverDatabases(databases, before)).toEqual([`scratch_${base36(old)}_1a214a60`]);
  });

  describe('on the running infrastructure', () => {
    const kafka = new Kafka({
      clientId: 'infra-test-leftovers',
      brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
      logLevel: logLevel.NOTHING,
    });
    const adminUrl = process.env.POSTGRES_ADMIN_URL!;
    const admin = kafka.admin();
    const suffix = Math.random().toString(16).slice(2, 8).padEnd(6, '0');
    const longAgo = Date.now() - leftoverAfterMs - hours(1);
    const oldTopic = `t-${base36(longAgo)}-${suffix}.order.events.v1`;
    const liveTopic = `t-${base36(Date.now())}-${suffix}.order.events.v1`;
    const oldDatabase = `scratch_${base36(longAgo)}_${suffix}`;
    const liveDatabase = `scratch_${base36(Date.now())}_${suffix}`;

    async function databases(): Promise<string[]> {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
        return rows.map((row) => row.datname);
      } finally {
        await client.end();
      }
    }

    async function asAdmin(sql: string): Promise<void> {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    }

    beforeAll(async () => {
      await admin.connect();
      await admin.createTopics({
        waitForLeaders: true,
        topics: [oldTopic, liveTopic].map((topic) => ({ topic, numPartitions: 1 })),
      });
      await asAdmin(`CREATE DATABASE ${oldDatabase}`);
      await asAdmin(`CREATE DATABASE ${liveDatabase}`);
    });

    afterAll(async () => {
      const existing = new Set(await admin.listTopics());
      const mine = [oldTopic, liveTopic].filter((topic) => existing.has(topic));
      if (mine.length > 0) await admin.deleteTopics({ topics: mine });
      await admin.disconnect();
      await asAdmin(`DROP DATABASE IF EXISTS ${oldDatabase} WITH (FORCE)`);
      await asAdmin(`DROP DATABASE IF EXISTS ${liveDatabase} WITH (FORCE)`);
    });

    test('when the sweep runs, then old scratch topics and databases are gone, and live ones and the contract topics stay', async () => {
      const lines: string[] = [];
      await sweepLeftovers(
        {
          kafkaBrokers: process.env.KAFKA_BROKERS!,
          postgresAdminUrl: adminUrl,
          contractTopics: allTopics(),
        },
        (line) => lines.push(line),
      );

      const topics = await admin.listTopics();
      expect(topics).not.toContain(oldTopic);
      expect(topics).toContain(liveTopic);
      expect(topics).toEqual(expect.arrayContaining(allTopics()));
      const names = await databases();
      expect(names).not.toContain(oldDatabase);
      expect(names).toContain(liveDatabase);
      expect(names).toContain('order');
      expect(lines.join('\n')).toMatch(/removed what killed test runs left behind: \d+ topics/);
    });
  });
});
