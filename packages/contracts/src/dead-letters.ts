import { timestampSchema } from './common';
import { dlqTopic, topics, type DlqTopic } from './topics';
import { z } from './zod';

const dlqTopics = Object.values(topics).map((topic) => dlqTopic(topic)) as [
  DlqTopic,
  ...DlqTopic[],
];

/** A dead-letter topic by its name in API.md (`<topic>.dlq`), whatever prefix a deployment adds. */
export const deadLetterTopicSchema = z.enum(dlqTopics).openapi('DeadLetterTopic');

export const deadLetterTopicParamsSchema = z.strictObject({ topic: deadLetterTopicSchema });

/** One dead letter: `partition` and `offset` name it for a replay. */
export const deadLetterPositionParamsSchema = z.strictObject({
  topic: deadLetterTopicSchema,
  partition: z
    .string()
    .regex(/^(0|[1-9]\d{0,4})$/, 'must be a partition number')
    .transform(Number),
  offset: z.string().regex(/^\d{1,19}$/, 'must be a Kafka offset'),
});

export const deadLetterCountsSchema = z
  .object({
    topics: z.array(
      z.object({
        topic: deadLetterTopicSchema,
        count: z
          .number()
          .int()
          .min(0)
          .openapi({ description: 'Messages in the topic (log end minus log start)' }),
      }),
    ),
  })
  .openapi('DeadLetterCounts');

export const deadLetterSchema = z
  .object({
    topic: deadLetterTopicSchema,
    partition: z.number().int().min(0),
    offset: z.string(),
    originalTopic: z.string(),
    key: z.string().nullable(),
    value: z.string().nullable().openapi({ description: 'The original bytes, as text' }),
    reason: z.string().openapi({ example: 'invalid-json' }),
    error: z.string(),
    attempts: z.number().int().min(0),
    consumer: z.string().openapi({ description: 'The consumer group that gave up on it' }),
    failedAt: z.union([timestampSchema, z.literal('')]),
  })
  .openapi('DeadLetter');

export const deadLetterListSchema = z
  .object({
    topic: deadLetterTopicSchema,
    items: z.array(deadLetterSchema).openapi({ description: 'Oldest first, at most 100' }),
    total: z.number().int().min(0),
  })
  .openapi('DeadLetterList');

export type DeadLetterTopic = z.infer<typeof deadLetterTopicSchema>;
export type DeadLetterCounts = z.infer<typeof deadLetterCountsSchema>;
export type DeadLetterView = z.infer<typeof deadLetterSchema>;
export type DeadLetterList = z.infer<typeof deadLetterListSchema>;
