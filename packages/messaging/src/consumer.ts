import { parseMessage, type Message, type Topic } from '@shop/contracts';
import { backoffDelay, sleep, type Backoff, type Tx } from '@shop/postgres';
import { contextFromHeaders, runWithContext } from '@shop/service-kit';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { deadLetterOf, headersOf, type DeadLetterCause } from './dead-letter-message';
import { postgresInbox, type Inbox } from './inbox';
import { createProducer, type KafkaClient } from './kafka';
import { offsetCommits, type PartitionOffset } from './offset-commits';
import { waitForTopics } from './topics';

export type ParseResult<TMessage> =
  { success: true; data: TMessage } | { success: false; error: { message: string } };

/** Validates a decoded JSON value (envelope and payload) for a topic, without throwing. */
export type Parse<TMessage> = (topic: string, value: unknown) => ParseResult<TMessage>;

/** The shop's own contracts: the envelope and the payload checked against the topic's schema. */
export const parseContractMessage: Parse<Message> = (topic, value) => {
  const result = parseMessage(topic as Topic, value);
  return result.success
    ? { success: true, data: result.data }
    : { success: false, error: { message: result.error.message } };
};

export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** The W3C trace context the producer attached, to continue its trace. */
  traceparent: string | undefined;
  attempt: number;
}

export type Handler<TMessage, TUnit = Tx> = (
  message: TMessage,
  unit: TUnit,
  context: MessageContext,
) => Promise<void>;

export type Handlers<TMessage extends { type: string }, TUnit = Tx> = {
  [TType in TMessage['type']]?: Handler<Extract<TMessage, { type: TType }>, TUnit>;
};

/** Either a Postgres pool (the inbox table, in the handler's transaction) or an inbox of its own. */
type InboxChoice<TUnit> = [TUnit] extends [Tx]
  ? { pool: Pool; inbox?: never } | { inbox: Inbox<TUnit>; pool?: never }
  : { inbox: Inbox<TUnit>; pool?: never };

export type ConsumerOptions<
  TMessage extends { id: string; type: string } = Message,
  TUnit = Tx,
> = ConsumerSettings<TMessage, TUnit> & InboxChoice<TUnit>;

interface ConsumerSettings<TMessage extends { id: string; type: string }, TUnit> {
  kafka: KafkaClient;
  groupId: string;
  /** The name this consumer's applied messages are recorded under in the inbox. */
  consumerName: string;
  topics: string[];
  handlers: Handlers<TMessage, TUnit>;
  /** Defaults to the shop's contracts; a consumer of other messages brings its own. */
  parse?: Parse<TMessage>;
  logger: Logger;
  maxAttempts?: number;
  backoff?: Backoff;
  /** Where a group with no committed offset starts; from the beginning, so nothing is skipped. */
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** How long one fetch waits for new messages (and so how long a stop may wait): 1 s. */
  maxWaitTimeMs?: number;
  /**
   * How long an applied message's offset may wait to be committed with others: 1 s. 0 commits
   * after every fetched batch. See `offsetCommits`.
   */
  commitIntervalMs?: number;
  /** Subscribes to `<prefix><topic>` and parses by the contract topic: see `topicNamespace`. */
  topicPrefix?: string;
  /**
   * How long to wait for the topics to exist before giving up (the deployment creates them, maybe
   * after this process starts): 90 s, within the startup budget Kubernetes gives a pod.
   */
  topicWaitMs?: number;
}

export interface RunningConsumer {
  /** Finishes (or abandons, uncommitted) the current message, commits, then leaves the group. */
  stop(): Promise<void>;
}

type Outcome =
  { kind: 'done' } | { kind: 'dead-letter'; cause: DeadLetterCause } | { kind: 'abandoned' };

/** A fetched message with where it came from. */
interface ReadMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
  heartbeat: () => Promise<void>;
}

/**
 * At-least-once delivery turned into exactly-once effects:
 *
 * - Offsets are committed by hand, only after the handlers' transactions of every message up to
 *   them have committed (or the messages have been dead-lettered), all partitions' together once
 *   a second (`commitIntervalMs`). A crash before that redelivers them; the inbox row written in
 *   each handler's transaction makes each redelivery a no-op.
 * - Each commit carries the group generation. When a heartbeat says the group is rebalancing,
 *   what waits is committed and kafkajs rejoins; a later commit can only name messages this
 *   member applied, so at worst the partition's next owner reads some again and the inbox skips
 *   them.
 * - A message that cannot be read (no value, bad JSON, fails its schema) or keeps failing after
 *   `maxAttempts` goes to `<topic>.dlq` with the error in its headers, then its offset is
 *   committed: a poison message never stops the partition nor crashes the consumer.
 * - A type with no handler is skipped and committed, not dead-lettered: a topic carries several
 *   types and a consumer subscribes to the topic for the ones it cares about.
 * - Retries heartbeat between attempts, and a slow handler is kept alive by a heartbeat timer,
 *   so a member is not evicted mid-message (the rebalance-storm trap of kafkajs, which only
 *   heartbeats between messages on its own).
 *
 * The dead-letter topic is the one place this package produces without the outbox. That is safe:
 * the dead-letter write is acknowledged before the offset is committed, so a crash in between
 * re-processes the message and, at worst, dead-letters it twice.
 */
export async function startConsumer<
  TMessage extends { id: string; type: string } = Message,
  TUnit = Tx,
>(options: ConsumerOptions<TMessage, TUnit>): Promise<RunningConsumer> {
  const { kafka, consumerName } = options;
  const inbox = inboxOf<TUnit>(options);
  const parse = options.parse ?? (parseContractMessage as unknown as Parse<TMessage>);
  const logger = options.logger.child({ component: 'consumer', consumer: consumerName });
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoff ?? { baseMs: 200, maxMs: 10_000 };
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1_000;
  const topicPrefix = options.topicPrefix ?? '';
  const contractTopicOf = (topic: string) =>
    topic.startsWith(topicPrefix) ? topic.slice(topicPrefix.length) : topic;
  const handlers = options.handlers as Record<string, Handler<TMessage, TUnit> | undefined>;

  const consumer = kafka.consumer({
    groupId: options.groupId,
    // A member that died without leaving holds its partitions until this passes: it is how long
    // a killed service's partitions wait before a restarted (or surviving) member takes them, and
    // so most of the recovery after a crash (docs/performance.md). 4 s with a 1 s heartbeat (sent
    // by a timer during a slow handler too) still leaves a busy but live member three beats of
    // slack; the brokers allow it (group.min.session.timeout.ms, 6 s by default, is set to 2 s).
    sessionTimeout: options.sessionTimeoutMs ?? 4_000,
    heartbeatInterval: heartbeatIntervalMs,
    allowAutoTopicCreation: false,
    // How long a fetch waits for new data. kafkajs' 5 s default is also how long disconnect()
    // waits for the fetch in flight, i.e. how long every graceful shutdown and test teardown
    // takes; one idle fetch a second per consumer costs the broker nothing.
    maxWaitTimeInMs: options.maxWaitTimeMs ?? 1_000,
  });
  const deadLetters = createProducer(kafka);
  const commits = offsetCommits({
    commit: (offsets) => consumer.commitOffsets(offsets),
    intervalMs: options.commitIntervalMs ?? 1_000,
    logger,
  });
  const stopping = new AbortController();
  let inFlight: Promise<void> = Promise.resolve();

  consumer.on(consumer.events.CRASH, ({ payload }) => {
    logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
  });

  async function apply(
    message: TMessage,
    context: Omit<MessageContext, 'attempt'>,
    heartbeat: () => Promise<void>,
  ): Promise<Outcome> {
    const handler = handlers[message.type];
    if (!handler) {
      logger.debug({ type: message.type, id: message.id }, 'no handler for this type; skipped');
      return { kind: 'done' };
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        const applied = await keepingAlive(heartbeat, heartbeatIntervalMs, () =>
          inbox.applyOnce(
            { consumer: consumerName, messageId: message.id, topic: context.topic },
            (unit) => handler(message, unit, { ...context, attempt }),
          ),
        );
        if (!applied) logger.debug({ id: message.id }, 'already applied; skipped');
        return { kind: 'done' };
      } catch (error) {
        const permanent = (error as { retriable?: unknown } | null)?.retriable === false;
        if (attempt >= maxAttempts || permanent) {
          return {
            kind: 'dead-letter',
            cause: { reason: 'handler-failed', error: describe(error), attempts: attempt },
          };
        }
        logger.warn({ err: error, id: message.id, attempt }, 'handler failed; retrying');
        await sleepHeartbeating(backoffDelay(attempt, backoff), heartbeat);
        if (stopping.signal.aborted) return { kind: 'abandoned' };
      }
    }
  }

  async function deadLetter(read: ReadMessage, cause: DeadLetterCause): Promise<Outcome> {
    const { topic, partition, message, heartbeat } = read;
    logger.warn(
      { topic, partition, offset: message.offset, reason: cause.reason, error: cause.error },
      'dead-lettering message',
    );
    const letter = deadLetterOf({ topic, partition, message, consumer: consumerName }, cause);
    // Never drop a message because its dead-letter topic is unreachable: hold the partition.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await deadLetters.publish([letter]);
        return { kind: 'done' };
      } catch (error) {
        logger.error({ err: error, attempt }, 'dead-letter publish failed; retrying');
        await sleepHeartbeating(backoffDelay(attempt, backoff), heartbeat);
        if (stopping.signal.aborted) return { kind: 'abandoned' };
      }
    }
  }

  async function sleepHeartbeating(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    while (!stopping.signal.aborted && Date.now() < until) {
      await sleep(Math.min(heartbeatIntervalMs, until - Date.now()), stopping.signal);
      // Throws when the group is rebalancing: the message is then left uncommitted for its
      // next owner instead of being retried by a member that is about to lose it.
      await heartbeat();
    }
  }

  /** Applies (or dead-letters) one message; `abandoned` leaves it for the partition's next owner. */
  async function handleMessage(read: ReadMessage): Promise<Outcome['kind']> {
    const { topic, partition, message, heartbeat } = read;
    if (stopping.signal.aborted) return 'abandoned';
    const decoded = decode(contractTopicOf(topic), message, parse);
    const headers = headersOf(message);
    const outcome = decoded.success
      ? await inProducersTrace(headers, () =>
          apply(
            decoded.data,
            {
              topic,
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              headers,
              traceparent: headers.traceparent,
            },
            heartbeat,
          ),
        )
      : ({ kind: 'dead-letter', cause: { ...decoded.cause, attempts: 0 } } as const);
    const final = outcome.kind === 'dead-letter' ? await deadLetter(read, outcome.cause) : outcome;
    return final.kind;
  }

  /**
   * A fetched batch of one partition, in order: each message applied (its inbox row committed)
   * before the next, then one offset commit for all that were. Messages that arrived together
   * cost one commit, not one each; a crash before the commit redelivers them, and the inbox
   * skips each. A message abandoned at stop ends the batch uncommitted from there on.
   */
  async function handleBatch(payload: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = payload.batch;
    const heartbeat = () => payload.heartbeat();
    let handled: string | undefined;
    let rebalancing: Error | undefined;
    for (const message of messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      const outcome = await handleMessage({ topic, partition, message, heartbeat });
      if (outcome === 'abandoned') {
        payload.pause();
        break;
      }
      handled = message.offset;
      // Where this member's next fetch starts; what the broker keeps is `commit` below.
      payload.resolveOffset(message.offset);
      // A long batch must not outlast the session: this reaches the broker only once the
      // interval has passed, and throws when the group is rebalancing (stop, commit, rejoin).
      rebalancing = await heartbeat().then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      );
      if (rebalancing) break;
    }
    if (handled !== undefined) await commit({ topic, partition, offset: nextOffset(handled) });
    if (rebalancing) {
      // Now, while it may still be accepted: a partition this member keeps after it rejoins
      // resumes from the broker's offset, and an older one means more messages read again.
      await commits.flush().catch(() => undefined);
      throw rebalancing;
    }
  }

  /** Rejects only when the commit is sent at once and refused (kafkajs then rejoins the group). */
  async function commit(applied: PartitionOffset): Promise<void> {
    try {
      await commits.applied(applied);
    } catch (error) {
      // Typically a rebalance took the partition away: the new owner re-reads the messages,
      // which the inbox then skips.
      logger.warn({ err: error, ...applied }, 'offset commit refused');
      throw error;
    }
  }

  const subscribed = options.topics.map((topic) => `${topicPrefix}${topic}`);
  await waitForTopics(options.kafka, subscribed, {
    timeoutMs: options.topicWaitMs ?? 90_000,
    logger,
  });
  await deadLetters.connect();
  await consumer.connect();
  await consumer.subscribe({
    topics: subscribed,
    fromBeginning: options.fromBeginning ?? true,
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: (payload) => {
      inFlight = handleBatch(payload);
      return inFlight;
    },
  });

  return {
    async stop() {
      stopping.abort();
      await inFlight.catch(() => undefined);
      await commits.stop().catch((error: unknown) => {
        logger.warn({ err: error }, 'offset commit refused at stop; the next member re-reads');
      });
      await consumer.disconnect();
      await deadLetters.disconnect();
    },
  };
}

function inboxOf<TUnit>(options: { pool?: Pool; inbox?: Inbox<TUnit> }): Inbox<TUnit> {
  if (options.inbox) return options.inbox;
  if (!options.pool) throw new TypeError('startConsumer needs a pool or an inbox');
  // Without an inbox of its own the handlers' unit is a Postgres transaction (see InboxChoice).
  return postgresInbox(options.pool) as unknown as Inbox<TUnit>;
}

function decode<TMessage>(
  topic: string,
  message: KafkaMessage,
  parse: Parse<TMessage>,
):
  { success: true; data: TMessage } | { success: false; cause: Omit<DeadLetterCause, 'attempts'> } {
  if (message.value === null) {
    return { success: false, cause: { reason: 'no-value', error: 'message has no value' } };
  }
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return { success: false, cause: { reason: 'invalid-json', error: describe(error) } };
  }
  const parsed = parse(topic, json);
  return parsed.success
    ? parsed
    : { success: false, cause: { reason: 'invalid-message', error: parsed.error.message } };
}

/** Kafka's committed offset is the next one to read, not the last one read. */
function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/**
 * kafkajs' heartbeat() only reaches the broker once the heartbeat interval has passed, so calling
 * it on a timer while the handler runs costs nothing when the handler is quick.
 */
async function keepingAlive<T>(
  heartbeat: () => Promise<void>,
  intervalMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const timer = setInterval(() => void heartbeat().catch(() => undefined), intervalMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Handles a message in the trace its producer attached (and under its request id), so the
 * handler's log lines join that trace and whatever it sends through the outbox continues it.
 */
function inProducersTrace<T>(headers: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const context = contextFromHeaders({
    requestId: headers['x-request-id'],
    traceparent: headers.traceparent,
  });
  return runWithContext(context, work);
}
