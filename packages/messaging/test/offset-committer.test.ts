import { offsetCommitter, type PartitionOffset } from '../src/offset-committer';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

function recordingCommitter(refuse?: (positions: PartitionOffset[]) => boolean) {
  const commits: PartitionOffset[][] = [];
  const refused: PartitionOffset[][] = [];
  const committer = offsetCommitter({
    intervalMs: 100,
    commit: (positions) => {
      if (refuse?.(positions)) return Promise.reject(new Error('not the generation'));
      commits.push(positions);
      return Promise.resolve();
    },
    onRefused: (_error, positions) => refused.push(positions),
  });
  return { committer, commits, refused };
}

test('when messages of two partitions are handled within the interval, then one commit carries the latest offset of each', async () => {
  const { committer, commits } = recordingCommitter();
  committer.handled({ topic: 'orders', partition: 0, offset: '11' });
  committer.handled({ topic: 'orders', partition: 1, offset: '4' });
  committer.handled({ topic: 'orders', partition: 0, offset: '12' });
  expect(commits).toEqual([]);

  await jest.advanceTimersByTimeAsync(100);

  expect(commits).toEqual([
    [
      { topic: 'orders', partition: 0, offset: '12' },
      { topic: 'orders', partition: 1, offset: '4' },
    ],
  ]);
  await jest.advanceTimersByTimeAsync(1_000);
  expect(commits).toHaveLength(1);
});

test('when the consumer stops, then a flush commits what is handled without waiting for the interval', async () => {
  const { committer, commits } = recordingCommitter();
  committer.handled({ topic: 'replies', partition: 2, offset: '7' });

  await committer.flush();

  expect(commits).toEqual([[{ topic: 'replies', partition: 2, offset: '7' }]]);
  await jest.advanceTimersByTimeAsync(1_000);
  expect(commits).toHaveLength(1);
});

test('when a commit is refused, then it is reported and the next messages are still committed', async () => {
  const { committer, commits, refused } = recordingCommitter((positions) =>
    positions.some((position) => position.offset === '5'),
  );
  committer.handled({ topic: 'orders', partition: 0, offset: '5' });
  await jest.advanceTimersByTimeAsync(100);
  committer.handled({ topic: 'orders', partition: 0, offset: '6' });
  await jest.advanceTimersByTimeAsync(100);

  expect(refused).toEqual([[{ topic: 'orders', partition: 0, offset: '5' }]]);
  expect(commits).toEqual([[{ topic: 'orders', partition: 0, offset: '6' }]]);
});

test('when a commit is slow, then the next one waits for it, so offsets never go back', async () => {
  const order: string[] = [];
  let finishFirst: () => void = () => undefined;
  const committer = offsetCommitter({
    intervalMs: 100,
    commit: ([position]) => {
      order.push(`start ${position?.offset}`);
      if (position?.offset === '1') {
        return new Promise<void>((resolve) => {
          finishFirst = () => {
            order.push('end 1');
            resolve();
          };
        });
      }
      order.push(`end ${position?.offset}`);
      return Promise.resolve();
    },
    onRefused: () => undefined,
  });
  committer.handled({ topic: 't', partition: 0, offset: '1' });
  await jest.advanceTimersByTimeAsync(100);
  committer.handled({ topic: 't', partition: 0, offset: '2' });
  const flushed = committer.flush();
  await jest.advanceTimersByTimeAsync(0);
  expect(order).toEqual(['start 1']);

  finishFirst();
  await flushed;
  expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
});
