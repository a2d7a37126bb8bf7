import { Router } from 'express';
import { requireAuth, requireRole, type JwtVerifier } from '@shop/auth';
import {
  deadLetterPositionParamsSchema,
  deadLetterTopicParamsSchema,
  deadLetterTopicSchema,
  type DeadLetterCounts,
  type DeadLetterList,
  type DeadLetterTopic,
  type DeadLetterView,
} from '@shop/contracts';
import {
  countDeadLetters,
  readDeadLetters,
  replayDeadLetter,
  type DeadLetter,
  type KafkaClient,
} from '@shop/messaging';
import { AppError, isAppError, parseParams } from '@shop/service-kit';

/** The dead-letter topics, for the operations console: count, show, replay (admin only). */
export interface DeadLetterDesk {
  counts(): Promise<DeadLetterCounts>;
  list(topic: DeadLetterTopic): Promise<DeadLetterList>;
  replay(topic: DeadLetterTopic, partition: number, offset: string): Promise<DeadLetterView>;
}

/** A list answers at most this many; the count says how many there are. */
const listedAtMost = 100;

/** Kafka unreachable (or slow past its retries) is the gateway's upstream being down. */
async function askingKafka<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError('UPSTREAM_UNAVAILABLE', 'Kafka could not be asked', {
      retryAfterMs: 1_000,
      cause: error,
    });
  }
}

export function kafkaDeadLetterDesk(kafka: KafkaClient, topicPrefix: string): DeadLetterDesk {
  const physical = (topic: DeadLetterTopic) => `${topicPrefix}${topic}`;
  const view = (topic: DeadLetterTopic, letter: DeadLetter): DeadLetterView => ({
    topic,
    partition: letter.partition,
    offset: letter.offset,
    originalTopic: letter.originalTopic.slice(topicPrefix.length),
    key: letter.key,
    value: letter.value,
    reason: letter.reason,
    error: letter.error,
    attempts: letter.attempts,
    consumer: letter.consumer,
    failedAt: letter.failedAt,
  });
  return {
    counts: () =>
      askingKafka(async () => {
        const topics = deadLetterTopicSchema.options;
        const counts = await countDeadLetters(kafka, topics.map(physical));
        return {
          topics: topics.map((topic) => ({ topic, count: counts.get(physical(topic)) ?? 0 })),
        };
      }),
    list: (topic) =>
      askingKafka(async () => {
        const letters = await readDeadLetters(kafka, physical(topic));
        return {
          topic,
          items: letters.slice(0, listedAtMost).map((letter) => view(topic, letter)),
          total: letters.length,
        };
      }),
    replay: (topic, partition, offset) =>
      askingKafka(async () => {
        const letter = (await readDeadLetters(kafka, physical(topic))).find(
          (candidate) => candidate.partition === partition && candidate.offset === offset,
        );
        if (!letter)
          throw new AppError('NOT_FOUND', `no dead letter at ${topic} ${partition}:${offset}`);
        await replayDeadLetter(kafka, letter);
        return view(topic, letter);
      }),
  };
}

/** Without KAFKA_BROKERS there is nothing to show. */
export const noDeadLetterDesk: DeadLetterDesk = {
  counts: () => Promise.reject(new AppError('UPSTREAM_UNAVAILABLE', 'Kafka is not configured')),
  list: () => Promise.reject(new AppError('UPSTREAM_UNAVAILABLE', 'Kafka is not configured')),
  replay: () => Promise.reject(new AppError('UPSTREAM_UNAVAILABLE', 'Kafka is not configured')),
};

/** `/api/system/dead-letters…`: the gateway's own routes, for admins only. */
export function deadLetterRoutes(desk: DeadLetterDesk, verifier: JwtVerifier): Router {
  const router = Router();
  router.use('/api/system/dead-letters', requireAuth(verifier), requireRole('admin'));
  router.get('/api/system/dead-letters', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await desk.counts());
  });
  router.get('/api/system/dead-letters/:topic', async (req, res) => {
    const { topic } = parseParams(deadLetterTopicParamsSchema, req);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await desk.list(topic));
  });
  router.post('/api/system/dead-letters/:topic/:partition/:offset/replay', async (req, res) => {
    const { topic, partition, offset } = parseParams(deadLetterPositionParamsSchema, req);
    res.status(202).json(await desk.replay(topic, partition, offset));
  });
  return router;
}
