import { allowedDeadline, stepWaitMs } from '../src/domain/saga';
import { StepLatency } from '../src/domain/step-latency';

describe('re-send waits', () => {
  test('when a command goes unanswered, then each wait doubles from STEP_TIMEOUT, up to eight of them', () => {
    expect([1, 2, 3, 4, 5, 9].map((attempt) => stepWaitMs(attempt, 0, 10_000))).toEqual([
      10_000, 20_000, 40_000, 80_000, 80_000, 80_000,
    ]);
  });

  test('when replies take longer than the wait, then the wait is the measured step latency', () => {
    expect(stepWaitMs(1, 25_000, 10_000)).toBe(25_000);
    expect(stepWaitMs(3, 25_000, 10_000)).toBe(40_000);
  });
});

describe('the saga deadline', () => {
  const startedAt = new Date('2026-12-05T10:00:00Z');
  const settings = { sagaTimeoutMs: 60_000 };

  test('when nothing was answered lately (a fault, not a queue), then it is the fixed timeout', () => {
    expect(allowedDeadline({ startedAt }, 0, settings)).toEqual(new Date('2026-12-05T10:01:00Z'));
  });

  test('when steps take 5 s, then three of them are allowed on top', () => {
    expect(allowedDeadline({ startedAt }, 5_000, settings)).toEqual(
      new Date('2026-12-05T10:01:15Z'),
    );
  });

  test('when steps take longer than the timeout, then never more than twice the timeout', () => {
    expect(allowedDeadline({ startedAt }, 600_000, settings)).toEqual(
      new Date('2026-12-05T10:02:00Z'),
    );
  });
});

describe('the step latency', () => {
  let clock = 0;
  const latency = () => new StepLatency(10_000, () => clock);

  beforeEach(() => {
    clock = 1_000_000;
  });

  test('when nothing was answered, then it is 0', () => {
    expect(latency().p90()).toBe(0);
  });

  test('when replies took 1 to 10 s, then it is their 90th percentile', () => {
    const meter = latency();
    for (let seconds = 1; seconds <= 10; seconds += 1) meter.record(seconds * 1_000);

    expect(meter.p90()).toBe(9_000);
  });

  test('when the replies are older than the window, then they no longer count', () => {
    const meter = latency();
    meter.record(30_000);
    clock += 5_000;
    meter.record(200);
    clock += 6_000;

    expect(meter.p90()).toBe(200);
    clock += 5_000;
    expect(meter.p90()).toBe(0);
  });
});
