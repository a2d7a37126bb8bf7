import { createKafka, createProducer, type MessageProducer } from '../src';
import { kafkaBrokers, logger, uniqueName } from './support/environment';

jest.setTimeout(30_000);

/**
 * kafkajs 2.2.4 re-checked every connection's empty request queue on a 1 ms timer, forever
 * (kafkajs issues 1556 and 1704): ~1,000 wake-ups a second per connection, ~1.5 % of a core per
 * idle service here. patches/kafkajs@2.2.4.patch stops it; this fails if the patch is lost (an
 * upgrade, a lockfile rebuilt without it).
 */
describe('an idle Kafka client', () => {
  let producer: MessageProducer;
  const realSetTimeout = global.setTimeout;
  let shortTimers = 0;

  beforeAll(async () => {
    producer = createProducer(
      createKafka({ brokers: kafkaBrokers(), clientId: uniqueName('idle'), logger }),
    );
    await producer.connect();
  });

  afterAll(async () => {
    global.setTimeout = realSetTimeout;
    await producer.disconnect();
  });

  it('when connected and idle, then it sets no timers of a millisecond or less', async () => {
    // kafkajs calls the global setTimeout; count the short ones it asks for while idle.
    global.setTimeout = ((callback: () => void, ms?: number) => {
      if (ms === undefined || ms <= 1) shortTimers += 1;
      return realSetTimeout(callback, ms);
    }) as typeof setTimeout;

    await new Promise((resolve) => realSetTimeout(resolve, 500));
    global.setTimeout = realSetTimeout;

    expect(shortTimers).toBe(0);
  });
});
