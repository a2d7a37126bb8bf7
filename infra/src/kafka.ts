import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigResourceTypes, ConfigSource, Kafka, logLevel, type Admin } from 'kafkajs';
import { cacheDir, repoRoot } from './paths';
import {
  notReady,
  portInUse,
  run,
  runningPid,
  spawnDetached,
  stopProcess,
  waitUntil,
} from './processes';
import type { Toolchain } from './prerequisites';
import type { InfraSettings } from './settings';

const pomFile = path.join(repoRoot, 'infra', 'kafka', 'pom.xml');

export function kafkaVersion(): string {
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(
    fs.readFileSync(pomFile, 'utf8'),
  )?.[1];
  if (!version) throw new Error(`no <kafka.version> in ${pomFile}`);
  return version;
}

const files = (dataDir: string) => {
  const root = path.join(dataDir, 'kafka');
  return {
    root,
    logs: path.join(root, 'data'),
    properties: path.join(root, 'server.properties'),
    log4j: path.join(root, 'log4j.properties'),
    pid: path.join(root, 'kafka.pid'),
    log: path.join(root, 'kafka.log'),
    /** Where the running JVM writes its class archive on exit (see classArchiveArgs). */
    classArchive: path.join(root, 'class-archive.json'),
  };
};

/** Fetches the broker's jars from Maven Central once; a stamp of the pom marks a complete fetch. */
async function ensureJars(tools: Toolchain, log: (line: string) => void): Promise<string> {
  const libs = path.join(cacheDir, `kafka-${kafkaVersion()}`, 'libs');
  const stamp = path.join(libs, '.complete');
  const pomHash = createHash('sha256').update(fs.readFileSync(pomFile)).digest('hex');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === pomHash) return libs;
  log(`fetching Apache Kafka ${kafkaVersion()} jars with Maven (one time)`);
  fs.rmSync(libs, { recursive: true, force: true });
  await run(tools.mvn, [
    '-q',
    '-B',
    '-f',
    pomFile,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${libs}`,
  ]);
  fs.writeFileSync(stamp, pomHash);
  return libs;
}

function writeConfig(settings: InfraSettings, f: ReturnType<typeof files>) {
  const { host, kafkaPort, kafkaControllerPort, kafkaPartitions } = settings;
  const properties = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@${host}:${kafkaControllerPort}`,
    listeners: `PLAINTEXT://${host}:${kafkaPort},CONTROLLER://${host}:${kafkaControllerPort}`,
    'advertised.listeners': `PLAINTEXT://${host}:${kafkaPort}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': f.logs,
    // Topics are part of the contract (API.md): a typo in a topic name must fail, not create one.
    'auto.create.topics.enable': 'false',
    'num.partitions': String(kafkaPartitions),
    'offsets.topic.replication.factor': '1',
    // 50 offsets partitions (the default) make the first group join slow on a small machine.
    'offsets.topic.num.partitions': '6',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '6',
    // A single-broker dev cluster has nobody to wait for before the first rebalance.
    'group.initial.rebalance.delay.ms': '0',
    // The consumers' 4 s session (@shop/messaging): a crashed member is replaced sooner.
    'group.min.session.timeout.ms': '2000',
    'log.retention.hours': '168',
    // The log cleaner (compaction of __consumer_offsets) allocates its whole key map on the heap
    // at start: 128 MiB by default, the largest thing an idle broker holds. 16 MiB maps ~700,000
    // keys per pass, far more than a development broker's offsets topic has.
    'log.cleaner.dedupe.buffer.size': String(16 * 1024 * 1024),
    // Small segments for the committed offsets, so that compaction keeps up (see
    // offsetsSegmentBytes).
    'offsets.topic.segment.bytes': String(offsetsSegmentBytes),
  };
  fs.writeFileSync(
    f.properties,
    `${Object.entries(properties)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n')}\n`,
  );
  fs.writeFileSync(
    f.log4j,
    [
      'log4j.rootLogger=WARN, stdout',
      'log4j.logger.kafka.server.KafkaRaftServer=INFO',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
}

/**
 * The class-data-sharing archive of the broker's classes (AppCDS): the JVM maps the ~4,800
 * classes Kafka loads at start, already parsed and verified, instead of reading them from the
 * jars. On two cores the broker is then up ~1 s sooner, for ~2 s less CPU (docs/performance.md).
 * The first start has none and has the JVM write one when it exits: that one stop takes ~2.5 s
 * longer and leaves a ~45 MiB file beside the jars. Each JDK build gets its own; the JVM itself
 * refuses (and starts without) an archive that does not match its classes.
 *
 * A JVM writes it under a name of its own, which `stopKafka` renames once the JVM is gone, so
 * that a broker starting meanwhile (the tests run a second one) never maps a half-written file.
 */
function classArchiveArgs(java: string, libs: string, f: ReturnType<typeof files>): string[] {
  const archive = path.join(path.dirname(libs), `classes-${jdkFingerprint(java)}.jsa`);
  if (fs.existsSync(archive)) return [`-XX:SharedArchiveFile=${archive}`];
  const partial = `${archive}.${randomUUID()}.partial`;
  fs.writeFileSync(f.classArchive, JSON.stringify({ partial, archive }));
  // -Xlog: writing it would log ~90 warnings about the classes it leaves out (old, unlinked).
  return [`-XX:ArchiveClassesAtExit=${partial}`, '-Xlog:cds=error'];
}

/** After the broker's JVM has exited: the archive it wrote, if any, under its final name. */
function keepClassArchive(f: ReturnType<typeof files>): void {
  if (!fs.existsSync(f.classArchive)) return;
  const { partial, archive } = JSON.parse(fs.readFileSync(f.classArchive, 'utf8')) as {
    partial: string;
    archive: string;
  };
  if (fs.existsSync(partial)) fs.renameSync(partial, archive);
  fs.rmSync(f.classArchive);
}

/** Which JDK build `java` runs: its libjvm's path, size and time, hashed. */
function jdkFingerprint(java: string): string {
  const onPath = java.includes('/')
    ? java
    : (process.env.PATH ?? '')
        .split(path.delimiter)
        .map((dir) => path.join(dir, java))
        .find((candidate) => fs.existsSync(candidate));
  const home = path.dirname(path.dirname(fs.realpathSync(onPath ?? java)));
  const jvm = path.join(home, 'lib', 'server', 'libjvm.so');
  const identity = fs.existsSync(jvm)
    ? `${jvm}:${fs.statSync(jvm).size}:${fs.statSync(jvm).mtimeMs}`
    : home;
  return createHash('sha256').update(identity).digest('hex').slice(0, 12);
}

function javaArgs(
  settings: InfraSettings,
  libs: string,
  f: ReturnType<typeof files>,
  main: string[],
  extra: string[] = [],
) {
  return [
    ...extra,
    // Not pinned: G1 starts small and grows the heap as the load needs it, up to the setting, so
    // an idle development broker does not hold its whole heap resident (docs/performance.md).
    '-Xms64m',
    `-Xmx${settings.kafkaHeap}`,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${f.log4j}`,
    '-cp',
    `${libs}/*`,
    ...main,
  ];
}

export function kafkaBrokers(settings: InfraSettings): string {
  return `${settings.host}:${settings.kafkaPort}`;
}

/** A quiet kafkajs admin for the infrastructure's own chores (probes, topics, sweeps). */
export function infraAdmin(
  brokers: string,
  { clientId = 'shop-infra', retries }: { clientId?: string; retries?: number } = {},
): Admin {
  return new Kafka({
    clientId,
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    ...(retries === undefined ? {} : { retry: { retries } }),
  }).admin();
}

async function brokerAnswers(settings: InfraSettings): Promise<boolean> {
  const admin = infraAdmin(kafkaBrokers(settings), { retries: 0 });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect();
  }
}

export async function startKafka(
  tools: Toolchain,
  settings: InfraSettings,
  dataDir: string,
  log: (line: string) => void,
): Promise<void> {
  const f = files(dataDir);
  if (runningPid(f.pid) !== undefined) {
    log(`kafka already running on ${kafkaBrokers(settings)}`);
    return;
  }
  for (const port of [settings.kafkaPort, settings.kafkaControllerPort]) {
    if (await portInUse(port)) {
      throw new Error(
        `port ${port} is taken by another process: set SHOP_KAFKA_PORT / SHOP_KAFKA_CONTROLLER_PORT`,
      );
    }
  }
  const libs = await ensureJars(tools, log);
  fs.mkdirSync(f.root, { recursive: true });
  keepClassArchive(f); // one a broker wrote as it exited without `stopKafka`
  writeConfig(settings, f);

  if (!fs.existsSync(path.join(f.logs, 'meta.properties'))) {
    log(`formatting KRaft storage in ${f.logs}`);
    await run(
      tools.java,
      javaArgs(settings, libs, f, [
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId(),
        '-c',
        f.properties,
      ]),
    );
  }

  const broker = javaArgs(
    settings,
    libs,
    f,
    ['kafka.Kafka', f.properties],
    classArchiveArgs(tools.java, libs, f),
  );
  spawnDetached(tools.java, broker, {
    logFile: f.log,
    pidFile: f.pid,
    cwd: f.root,
  });
  const ready = await waitUntil(
    async () => {
      if (runningPid(f.pid) === undefined) throw new Error('exited');
      return brokerAnswers(settings);
    },
    // Asked often: every service waits for this answer, and a refused connection costs little.
    { timeoutMs: 90_000, intervalMs: 100 },
  );
  if (!ready)
    throw notReady(
      'kafka',
      f.log,
      runningPid(f.pid) ? 'broker not answering within 90 s' : 'the JVM exited',
    );
  log(`kafka ${kafkaVersion()} (KRaft) started on ${kafkaBrokers(settings)}`);
}

/**
 * A KRaft cluster id: 16 random bytes, base64url without padding (what `random-uuid` prints).
 * Like Kafka's own Uuid.randomUuid(), never one that starts with '-': the storage tool would read
 * it as an option and refuse to format (seen in CI: one fresh clone in 64 failed to start Kafka).
 */
export function clusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * The segment size of `__consumer_offsets`. Compaction never touches a topic's active segment,
 * and Kafka's default (100 MiB) is one a development broker never fills: every offset commit
 * since the broker's first start (one per consumed message) stayed there, 75 MiB after two
 * days of tests on one machine, and the group coordinator reads all of it at each start before
 * any consumer can join. At 1 MiB a segment rolls and is compacted to each group's last offsets.
 */
export const offsetsSegmentBytes = 1024 * 1024;

/**
 * Gives a broker created before `offsets.topic.segment.bytes` was set (which only applies when
 * the topic is created) the same small segments. AlterConfigs replaces a topic's whole set of
 * overrides, so the others (cleanup.policy=compact among them) are sent back unchanged.
 * `existing`: the broker's topics, as the caller just listed them.
 */
export async function keepOffsetsCompactable(
  admin: Admin,
  existing: ReadonlySet<string>,
  log: (line: string) => void,
): Promise<void> {
  const topic = '__consumer_offsets';
  if (!existing.has(topic)) return; // created with the setting, when the first group needs it
  const described = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    includeSynonyms: false,
  });
  const overrides = described.resources[0]!.configEntries.filter(
    (entry) => entry.configSource === ConfigSource.TOPIC_CONFIG,
  );
  const segmentBytes = overrides.find((entry) => entry.configName === 'segment.bytes');
  if (segmentBytes && Number(segmentBytes.configValue) <= offsetsSegmentBytes) return;
  await admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name: topic,
        configEntries: [
          ...overrides
            .filter((entry) => entry.configName !== 'segment.bytes')
            .map((entry) => ({ name: entry.configName, value: entry.configValue })),
          { name: 'segment.bytes', value: String(offsetsSegmentBytes) },
        ],
      },
    ],
  });
  log(`${topic}: segments of ${offsetsSegmentBytes / 1024 / 1024} MiB, so compaction keeps up`);
}

export async function ensureTopics(
  settings: InfraSettings,
  topics: string[],
  log: (line: string) => void,
) {
  const admin = infraAdmin(kafkaBrokers(settings));
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: settings.kafkaPartitions,
          replicationFactor: 1,
        })),
      });
      log(`created ${missing.length} topics with ${settings.kafkaPartitions} partitions each`);
    }
    const metadata = await admin.fetchTopicMetadata({ topics });
    const short = metadata.topics.filter((t) => t.partitions.length < settings.kafkaPartitions);
    if (short.length > 0) {
      await admin.createPartitions({
        topicPartitions: short.map((t) => ({ topic: t.name, count: settings.kafkaPartitions })),
      });
      log(`grew ${short.length} topics to ${settings.kafkaPartitions} partitions`);
    }
    await keepOffsetsCompactable(admin, existing, log);
  } finally {
    await admin.disconnect();
  }
}

export async function stopKafka(dataDir: string, log: (line: string) => void): Promise<void> {
  const pid = runningPid(files(dataDir).pid);
  if (pid === undefined) return;
  // SIGTERM triggers the broker's controlled shutdown, which flushes and closes the logs cleanly.
  await stopProcess(pid, 30_000);
  keepClassArchive(files(dataDir));
  log('kafka stopped');
}

export const kafkaRunning = (dataDir: string) => runningPid(files(dataDir).pid) !== undefined;
export const kafkaLog = (dataDir: string) => files(dataDir).log;
