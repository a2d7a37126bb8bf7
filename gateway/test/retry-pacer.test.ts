import { retryPacer, type RetryPacer } from '../src/overload/retry-pacer';

/** One simulated second: so many admissions and refusals, then the Retry-After it ends with. */
function second(pacer: RetryPacer, at: number, admitted: number, refused: number): number {
  for (let i = 0; i < admitted; i += 1) pacer.admitted(at * 1000 + i);
  for (let i = 0; i < refused; i += 1) pacer.refused(at * 1000 + 500 + i);
  return pacer.retryAfterSeconds((at + 1) * 1000);
}

describe('the Retry-After of checkouts refused at the gateway', () => {
  it('when nothing is refused, then it stays at 1 s', () => {
    const pacer = retryPacer();

    const told = [0, 1, 2, 3].map((at) => second(pacer, at, 15, 0));

    expect(told).toEqual([1, 1, 1, 1]);
  });

  it('when refusals outnumber admissions tenfold, then it grows, at most doubling each second, up to the cap', () => {
    const pacer = retryPacer({ maxSeconds: 30 });

    const told = [0, 1, 2, 3, 4, 5, 6].map((at) => second(pacer, at, 15, 150));

    expect(told).toEqual([1, 2, 4, 8, 16, 30, 30]);
  });

  it('when refusals come about as fast as admissions, then it holds where it is', () => {
    const pacer = retryPacer();
    [0, 1, 2].forEach((at) => second(pacer, at, 10, 40));
    const grown = pacer.retryAfterSeconds(3_000);

    const told = [3, 4, 5, 6, 7, 8].map((at) => second(pacer, at, 15, 15));

    expect(grown).toBe(4);
    expect(told.at(-1)).toBe(grown);
  });

  it('when the burst is over, then it halves each second back to 1 s', () => {
    const pacer = retryPacer();
    [0, 1, 2, 3, 4].forEach((at) => second(pacer, at, 10, 200));
    const atPeak = pacer.retryAfterSeconds(5_000);

    const told = [10, 11, 12, 13, 14, 15].map((at) => second(pacer, at, 15, 0));

    expect(atPeak).toBe(16);
    expect(told.at(-1)).toBe(1);
    expect(told[0]).toBeLessThan(atPeak);
  });
});
