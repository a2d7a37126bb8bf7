import type { Server } from 'node:http';
import { createJwtVerifier, type JwtVerifier } from '@shop/auth';
import type { Message } from '@shop/contracts';
import {
  createKafka,
  createProducer,
  messagingMigrationsDir,
  startConsumer,
  startOutboxRelay,
  type Backoff,
  type ConsumerOptions,
  type Handlers,
  type Inbox,
  type KafkaClient,
} from '@shop/messaging';
import { createPool, runMigrations, type Pool, type Tx } from '@shop/postgres';
import {
  BreakerRegistry,
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
} from '@shop/resilience';
import {
  createApp,
  createLogger,
  createMetricsRegistry,
  postgresCheck,
  startServer,
  type BaseConfig,
  type Door,
  type Logger,
  type ReadinessCheck,
  type Registry,
} from '@shop/service-kit';
import type { Express, RequestHandler } from 'express';
import type { DatabaseSettings, JwtSettings, KafkaSettings } from './settings';

/** What tests (and only tests) change about a service they start in-process. */
export interface HostOptions {
  /** Instead of one built from SERVICE_NAME and LOG_LEVEL. */
  logger?: Logger;
  /** Instead of PORT: 0 picks a free one. */
  port?: number;
  /** Tests shorten these so a group settles, and a stopped member leaves, quickly. */
  consumer?: ConsumerTuning;
}

export interface ConsumerTuning {
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxAttempts?: number;
  backoff?: Backoff;
}

export interface RunningService {
  url: string;
  port: number;
  /** For the graceful shutdown to drain before `stop()`. */
  server: Server;
  logger: Logger;
  /** Closes the server (unless already drained), then everything in the reverse order of start. */
  stop(): Promise<void>;
}

/** Anything the host stops: a worker loop, a consumer, a client. */
export interface Stoppable {
  stop(): Promise<void> | void;
}

/** The topics a service consumes and what it does with each message type. */
export type Consumption<TUnit> = {
  topics: string[];
  handlers: Handlers<Message, TUnit>;
  /** The name its applied messages are recorded under: SERVICE_NAME unless it has two consumers. */
  name?: string;
} & ([TUnit] extends [Tx] ? { pool: Pool } | { inbox: Inbox<TUnit> } : { inbox: Inbox<TUnit> });

/**
 * What a service's description is given. Each call starts one part of the service and the host
 * remembers how to stop it; `stop()` stops them in the reverse order, so a consumer is stopped
 * before the pool it writes through, and a relay before the producer it publishes with.
 */
export interface Host<C extends BaseConfig> {
  readonly config: C;
  readonly logger: Logger;
  /** Runs the service's migrations and the messaging tables' (outbox, inbox), then opens the pool. */
  postgres(this: Host<C & DatabaseSettings>, migrationsDir: string): Promise<Pool>;
  /** Publishes what the service's transactions write to the outbox: a producer and its relay. */
  outbox(this: Host<C & KafkaSettings>, pool: Pool): Promise<void>;
  /** Joins the service's consumer group (KAFKA_CONSUMER_GROUP, else SERVICE_NAME). */
  consume<TUnit = Tx>(
    this: Host<C & KafkaSettings>,
    consumption: Consumption<TUnit>,
  ): Promise<void>;
  /** A background loop, stopped (its current round finished) before what it uses. */
  worker<W extends Stoppable>(name: string, worker: W): W;
  /** Anything else to let go of on stop: a client, a connection. */
  onStop(name: string, stop: () => unknown): void;
  /** A JSON client for an upstream, its calls through a breaker of the service's registry. */
  httpClient(options: Omit<HttpClientOptions, 'registry'>): HttpClient;
  /** The service's circuit breakers, their state exported with its metrics. */
  breakers(): BreakerRegistry;
  /** The service's Prometheus registry. */
  metrics(): Registry;
  /** Verifies customers' tokens against identity's published keys. */
  verifier(this: Host<C & JwtSettings>): JwtVerifier;
  /**
   * The service's app around its routes: request ids and traces, access logs, metrics (with its
   * breakers), health — ready when the database the host opened and every extra check answer —
   * body parsing, problem+json errors.
   */
  app(routes: RequestHandler, readiness?: Record<string, ReadinessCheck>): Express;
  /**
   * A check every request meets before the app: what it refuses is answered there, at a tenth
   * of the app's cost (service-kit's door.ts). One per service; the gateway sheds load with it.
   */
  door(check: Door): void;
  kafka(this: Host<C & KafkaSettings>): KafkaClient;
}

/**
 * A service as a description: `describe` starts its parts through the host and returns its routes;
 * the host serves them on HOST:PORT, logs the start, and on `stop()` closes the server and then
 * every part in the reverse order. A part that fails to start stops those already started.
 */
export function defineService<C extends BaseConfig, O extends HostOptions = HostOptions>(
  describe: (host: Host<C>, options: O) => Promise<Express>,
): (config: C, options?: O) => Promise<RunningService> {
  return async (config, options = {} as O) => {
    const started = performance.now();
    const logger =
      options.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
    const parts = new PartsInStartOrder(logger);
    const entrance: Entrance = {};
    try {
      const app = await describe(createHost(config, logger, options, parts, entrance), options);
      const server = await startServer(app, {
        port: options.port ?? config.PORT,
        host: config.HOST,
        ...(entrance.door ? { door: entrance.door } : {}),
      });
      const startMs = Math.round(performance.now() - started);
      logger.info({ url: server.url, startMs }, `${config.SERVICE_NAME} listening`);
      return {
        url: server.url,
        port: server.port,
        server: server.server,
        logger,
        async stop() {
          if (server.server.listening) await server.close();
          await parts.stopAll();
        },
      };
    } catch (error) {
      logger.error({ err: error }, `${config.SERVICE_NAME} failed to start`);
      // What fails to stop is logged; the error worth throwing is the one that stopped the start.
      await parts.stopAll().catch(() => undefined);
      throw error;
    }
  };
}

/** What the server puts in front of the app. */
interface Entrance {
  door?: Door;
}

function createHost<C extends BaseConfig>(
  config: C,
  logger: Logger,
  options: HostOptions,
  parts: PartsInStartOrder,
  entrance: Entrance,
): Host<C> {
  let kafka: KafkaClient | undefined;
  let breakers: BreakerRegistry | undefined;
  let metrics: Registry | undefined;
  const readinessOfParts: Record<string, ReadinessCheck> = {};

  return {
    config,
    logger,

    async postgres(migrationsDir) {
      const settings = this.config;
      await runMigrations({
        databaseUrl: settings.DATABASE_URL,
        dirs: [migrationsDir, messagingMigrationsDir],
        logger,
      });
      const pool = createPool({
        connectionString: settings.DATABASE_URL,
        max: settings.DATABASE_POOL_SIZE,
        applicationName: settings.SERVICE_NAME,
        statementTimeoutMs: settings.DATABASE_STATEMENT_TIMEOUT,
        onError: (error) => logger.warn({ err: error }, 'idle postgres connection failed'),
      });
      parts.add('postgres pool', () => pool.end());
      readinessOfParts.postgres = postgresCheck(pool);
      return pool;
    },

    async outbox(pool) {
      const producer = createProducer(this.kafka());
      await producer.connect();
      parts.add('outbox producer', () => producer.disconnect());
      const relay = startOutboxRelay({
        pool,
        producer,
        logger,
        topicPrefix: this.config.KAFKA_TOPIC_PREFIX,
      });
      parts.add('outbox relay', () => relay.stop());
    },

    async consume<TUnit>(this: Host<C & KafkaSettings>, consumption: Consumption<TUnit>) {
      const { topics, handlers, name, ...inbox } = consumption;
      const consumerOptions = {
        kafka: this.kafka(),
        logger,
        groupId: this.config.KAFKA_CONSUMER_GROUP ?? this.config.SERVICE_NAME,
        consumerName: name ?? this.config.SERVICE_NAME,
        topics,
        topicPrefix: this.config.KAFKA_TOPIC_PREFIX,
        commitIntervalMs: this.config.KAFKA_COMMIT_INTERVAL,
        handlers,
        ...inbox,
        ...options.consumer,
      };
      // A pool or an inbox for the unit: a choice TypeScript cannot follow through the generic.
      const consumer = await startConsumer(
        consumerOptions as unknown as ConsumerOptions<Message, TUnit>,
      );
      parts.add(`consumer ${name ?? this.config.SERVICE_NAME}`, () => consumer.stop());
    },

    worker(name, worker) {
      parts.add(name, () => worker.stop());
      return worker;
    },

    onStop(name, stop) {
      parts.add(name, stop);
    },

    httpClient(clientOptions) {
      return createHttpClient({ ...clientOptions, registry: this.breakers() });
    },

    breakers() {
      if (!breakers) {
        const registry = new BreakerRegistry();
        registry.exposeMetrics(this.metrics());
        parts.add('circuit breakers', () => registry.shutdown());
        breakers = registry;
      }
      return breakers;
    },

    metrics() {
      const registry = metrics ?? createMetricsRegistry({ service: config.SERVICE_NAME });
      metrics = registry;
      return registry;
    },

    verifier() {
      return createJwtVerifier({
        jwksUrl: this.config.JWKS_URL,
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
      });
    },

    app(routes, readiness = {}) {
      return createApp({
        service: config.SERVICE_NAME,
        logger,
        registry: this.metrics(),
        readiness: { ...readinessOfParts, ...readiness },
        routes: (app) => app.use(routes),
      });
    },

    door(check) {
      if (entrance.door) throw new Error('a service has one door');
      entrance.door = check;
    },

    kafka() {
      kafka ??= createKafka({
        brokers: this.config.KAFKA_BROKERS,
        clientId: config.SERVICE_NAME,
        logger,
      });
      return kafka;
    },
  };
}

/** Remembers how to stop each part; stops them last-started first, each even if one fails. */
class PartsInStartOrder {
  private readonly stops: { name: string; stop: () => unknown }[] = [];

  constructor(private readonly logger: Logger) {}

  add(name: string, stop: () => unknown): void {
    this.stops.push({ name, stop });
  }

  async stopAll(): Promise<void> {
    const failures: Error[] = [];
    for (const { name, stop } of this.stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        this.logger.error({ err: error, part: name }, 'stopping a part failed');
        failures.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    const [first, ...more] = failures;
    if (first && more.length === 0) throw first;
    if (first) throw new AggregateError(failures, 'stopping the service failed');
  }
}
