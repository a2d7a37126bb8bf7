import { offsetCommits, type PartitionOffset } from '../src/offset-commits';
import { logger } from './support/environment';

/** Each commit the broker was sent, and whether it refused it. */
function fakeBroker() {
  const sent: PartitionOffset[][] = [];
  let refusing = false;
  return {
    sent,
    refuse(value: boolean) {
      refusing = value;
    },
    commit: (offsets: PartitionOffset[]) => {
      sent.push(offsets);
      return refusing ? Promise.reject(new Error('REBALANCE_IN_PROGRESS')) : Promise.resolve();
    },
  };
}

const at = (partition: number, offset: number): PartitionOffset => ({
  topic: 'order.events.v1',
  partition,
  offset: String(offset),
});

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('when offsets are applied within the interval, then one commit carries the last of each partition', async () => {
  const broker = fakeBroker();
  const commits = offsetCommits({ commit: broker.commit, intervalMs: 1_000, logger });

  await commits.applied(at(0, 5));
  await commits.applied(at(1, 3));
  await commits.applied(at(0, 6));
  await jest.advanceTimersByTimeAsync(999);
  expect(broker.sent).toEqual([]);

  await jest.advanceTimersByTimeAsync(1);
  expect(broker.sent).toEqual([[at(0, 6), at(1, 3)]]);

  await jest.advanceTimersByTimeAsync(5_000);
  expect(broker.sent).toHaveLength(1);
});

test('when the broker refuses a commit, then its offsets are sent again, unless a later one of the partition was applied', async () => {
  const broker = fakeBroker();
  const commits = offsetCommits({ commit: broker.commit, intervalMs: 1_000, logger });

  broker.refuse(true);
  await commits.applied(at(0, 5));
  await commits.applied(at(1, 3));
  await jest.advanceTimersByTimeAsync(1_000);
  broker.refuse(false);
  await commits.applied(at(0, 7));
  await jest.advanceTimersByTimeAsync(1_000);

  expect(broker.sent).toEqual([
    [at(0, 5), at(1, 3)],
    [at(0, 7), at(1, 3)],
  ]);
});

test('when the interval is 0, then each applied offset is committed at once, and a refusal reaches the caller', async () => {
  const broker = fakeBroker();
  const commits = offsetCommits({ commit: broker.commit, intervalMs: 0, logger });

  await commits.applied(at(2, 9));
  expect(broker.sent).toEqual([[at(2, 9)]]);

  broker.refuse(true);
  await expect(commits.applied(at(2, 10))).rejects.toThrow('REBALANCE_IN_PROGRESS');
});

test('when the consumer stops, then what waits is committed at once and nothing is sent after', async () => {
  const broker = fakeBroker();
  const commits = offsetCommits({ commit: broker.commit, intervalMs: 1_000, logger });

  await commits.applied(at(0, 4));
  await commits.stop();
  expect(broker.sent).toEqual([[at(0, 4)]]);

  await jest.advanceTimersByTimeAsync(10_000);
  expect(broker.sent).toHaveLength(1);
});
