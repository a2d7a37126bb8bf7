import { waitFor } from '@shop/testkit';
import {
  createProducer,
  ensureTopics,
  startConsumer,
  type MessageProducer,
  type RunningConsumer,
} from '../src';
import { counter, countersTable, incrementCounter } from './support/counters';
import { createTestBed, logger, uniqueName, type TestBed } from './support/environment';
import { counterEvent, parseTestEvent } from './support/test-event';

jest.setTimeout(60_000);

/**
 * On Kubernetes every service starts at the same moment as Kafka and the job that creates the
 * topics. A consumer that gave up on a topic not created yet would end its process and be
 * restarted with an ever longer back-off; it waits for the topics instead.
 */
let bed: TestBed;
let producer: MessageProducer;
const consumers: RunningConsumer[] = [];
const lateTopic = uniqueName('late.events');

beforeAll(async () => {
  bed = await createTestBed(countersTable);
  producer = createProducer(bed.kafka);
  await producer.connect();
});

afterAll(async () => {
  for (const consumer of consumers) await consumer.stop();
  await producer?.disconnect();
  const admin = bed?.kafka.admin();
  if (admin) {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const mine = [lateTopic, `${lateTopic}.dlq`].filter((topic) => existing.has(topic));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
    await admin.disconnect();
  }
  await bed?.close();
});

function consumerOf(topic: string, topicWaitMs: number): Promise<RunningConsumer> {
  return startConsumer({
    kafka: bed.kafka,
    pool: bed.pool,
    groupId: uniqueName('startup-test'),
    consumerName: 'startup-test',
    topics: [topic],
    parse: parseTestEvent,
    logger,
    topicWaitMs,
    handlers: { CounterIncremented: incrementCounter },
  });
}

test('when a consumer starts before its topic exists, then it starts once the topic is created and consumes from the beginning', async () => {
  let started = false;
  const starting = consumerOf(lateTopic, 30_000).then((consumer) => {
    started = true;
    consumers.push(consumer);
    return consumer;
  });

  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(started).toBe(false);

  await ensureTopics(bed.kafka, [
    { topic: lateTopic, numPartitions: 2 },
    { topic: `${lateTopic}.dlq`, numPartitions: 2 },
  ]);
  const counterId = uniqueName('late-counter');
  await producer.publish([
    {
      topic: lateTopic,
      key: counterId,
      value: JSON.stringify(counterEvent(counterId)),
    },
  ]);
  await starting;

  await waitFor(async () => (await counter(bed.pool, counterId))?.value === 1, {
    timeoutMs: 30_000,
  });
});

test('when its topic never appears, then starting the consumer fails after the wait, naming the topic', async () => {
  const missing = uniqueName('never.events');

  await expect(consumerOf(missing, 2_000)).rejects.toThrow(missing);
});
