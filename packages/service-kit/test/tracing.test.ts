import { childSpan, continueTrace, formatTraceparent, parseTraceparent, startTrace } from '../src';

const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent', () => {
  it('when the header is valid, then it is parsed into its fields and formats back unchanged', () => {
    const parsed = parseTraceparent(valid);

    expect(parsed).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: '01',
    });
    expect(formatTraceparent(parsed!)).toBe(valid);
  });

  it.each([
    ['empty', ''],
    ['too few fields', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7'],
    ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['all-zero parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['forbidden version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['extra field on version 00', `${valid}-extra`],
    ['short trace id', '00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01'],
  ])('when the header has %s, then it is rejected', (_case, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('when a future version carries extra fields, then its first four are read', () => {
    expect(
      parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what'),
    ).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: '01',
    });
  });

  it('when a child span is made, then it keeps the trace id and flags with a new span id', () => {
    const parent = startTrace();

    const child = childSpan(parent);

    expect(child.traceId).toBe(parent.traceId);
    expect(child.flags).toBe(parent.flags);
    expect(child.spanId).not.toBe(parent.spanId);
    expect(parseTraceparent(formatTraceparent(child))).toEqual(child);
  });

  it('when there is no valid incoming header, then a new sampled trace starts', () => {
    const trace = continueTrace('garbage');

    expect(parseTraceparent(formatTraceparent(trace))).toEqual(trace);
    expect(trace.flags).toBe('01');
  });

  it('when many traces start, then every id is new and well formed, across refills of the random pool', () => {
    // 2,000 traces draw 48,000 random bytes: the 4 KiB pool is refilled a dozen times.
    const traces = Array.from({ length: 2_000 }, () => startTrace());

    for (const trace of traces) expect(parseTraceparent(formatTraceparent(trace))).toEqual(trace);
    expect(new Set(traces.map((trace) => trace.traceId)).size).toBe(traces.length);
    expect(new Set(traces.map((trace) => trace.spanId)).size).toBe(traces.length);
  });
});
