import path from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '@shop/postgres/testing';
import {
  baseConfigSchema,
  ConfigError,
  createApp,
  createLogger,
  envVar,
  loadConfig,
} from '@shop/service-kit';
import type { Pool } from 'pg';
import type { z } from 'zod';
import {
  databaseSettings,
  defaultConsumerGroup,
  defineService,
  kafkaSettings,
  type RunningService,
} from '../src';

const logger = createLogger({ service: 'host-test', level: 'silent' });
const migrationsDir = path.join(__dirname, 'migrations');

const configSchema = baseConfigSchema
  .extend({
    SERVICE_NAME: envVar.string().default('widgets'),
    PORT: envVar.port().default(8099),
    ...databaseSettings,
    ...kafkaSettings,
  })
  .transform(defaultConsumerGroup);
type Config = z.output<typeof configSchema>;

function adminUrl(): string {
  const url = process.env.POSTGRES_ADMIN_URL;
  if (!url) throw new Error('POSTGRES_ADMIN_URL is not set: is the infrastructure up?');
  return url;
}

const emptyApp = () => createApp({ service: 'widgets', logger, routes: () => undefined });

describe('the shared settings', () => {
  test('when only the required variables are set, then every service gets the same defaults', () => {
    const config = loadConfig(configSchema, {
      DATABASE_URL: 'postgres://widgets:secret@127.0.0.1:5432/widgets',
      KAFKA_BROKERS: '127.0.0.1:9092',
    });

    expect(config).toMatchObject({
      DATABASE_POOL_SIZE: 10,
      DATABASE_STATEMENT_TIMEOUT: 10_000,
      KAFKA_CONSUMER_GROUP: 'widgets',
      KAFKA_TOPIC_PREFIX: '',
    });
  });

  test('when a required setting is missing, then start-up fails naming it rather than defaulting', () => {
    expect(() => loadConfig(configSchema, { KAFKA_BROKERS: '127.0.0.1:9092' })).toThrow(
      new ConfigError(['DATABASE_URL is required']),
    );
  });
});

describe('a service on the host', () => {
  let database: ScratchDatabase;
  let service: RunningService | undefined;

  beforeEach(async () => {
    database = await createScratchDatabase(adminUrl());
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await database.drop();
  });

  function configFor(overrides: Record<string, string> = {}) {
    return loadConfig(configSchema, {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: '127.0.0.1:9',
      DATABASE_STATEMENT_TIMEOUT: '3s',
      ...overrides,
    });
  }

  test('when it declares a database, then its migrations and the outbox tables are there and the pool uses the settings', async () => {
    let pool: Pool | undefined;
    const start = defineService<Config>(async (host) => {
      pool = await host.postgres(migrationsDir);
      return emptyApp();
    });

    service = await start(configFor(), { logger, port: 0 });

    const { rows } = await pool!.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_name IN ('widgets', 'outbox', 'inbox')
       ORDER BY table_name`,
    );
    expect(rows.map((row) => row.table_name)).toEqual(['inbox', 'outbox', 'widgets']);
    const timeout = await pool!.query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(timeout.rows[0]?.statement_timeout).toBe('3s');
    const health = await fetch(`${service.url}/health/live`);
    expect(health.status).toBe(200);
  });

  test('when it stops, then the server closes first and its parts stop last-started first', async () => {
    const stopped: string[] = [];
    let pool: Pool | undefined;
    const start = defineService<Config>(async (host) => {
      pool = await host.postgres(migrationsDir);
      host.worker('first worker', { stop: () => void stopped.push('first worker') });
      host.onStop('second part', () => stopped.push('second part'));
      return emptyApp();
    });
    const running = await start(configFor(), { logger, port: 0 });

    await running.stop();

    expect(stopped).toEqual(['second part', 'first worker']);
    expect(running.server.listening).toBe(false);
    await expect(pool!.query('SELECT 1')).rejects.toThrow(/pool/i);
  });

  test('when a part fails to stop, then the others still stop and the failure is reported', async () => {
    const stopped: string[] = [];
    const start = defineService<Config>((host) => {
      host.onStop('first', () => stopped.push('first'));
      host.onStop('broken', () => Promise.reject(new Error('would not let go')));
      host.onStop('last', () => stopped.push('last'));
      return Promise.resolve(emptyApp());
    });
    const running = await start(configFor(), { logger, port: 0 });

    await expect(running.stop()).rejects.toThrow('would not let go');

    expect(stopped).toEqual(['last', 'first']);
  });

  test('when a part fails to start, then the parts already started are stopped and the start fails with its error', async () => {
    let pool: Pool | undefined;
    const started = defineService<Config>(async (host) => {
      pool = await host.postgres(migrationsDir);
      // No broker listens on port 9: the producer cannot connect.
      await host.outbox(pool);
      return emptyApp();
    });

    await expect(
      started(configFor({ KAFKA_BROKERS: '127.0.0.1:9' }), { logger, port: 0 }),
    ).rejects.toThrow();

    await expect(pool!.query('SELECT 1')).rejects.toThrow(/pool/i);
  });
});
