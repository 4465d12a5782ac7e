import { resolveSpanTarget } from '../../src/client/span-target';

const R = 'agentlightning.rollout_id';
const A = 'agentlightning.attempt_id';
const S = 'agentlightning.span_sequence_id';

describe('resolveSpanTarget', () => {
  it('takes each id from the span, else the resource, else the defaults, independently', () => {
    expect(resolveSpanTarget({ [R]: 'ro-span' }, { [R]: 'ro-res', [A]: 'at-res' }, { rolloutId: 'ro-def', attemptId: 'at-def' })).toEqual({
      rolloutId: 'ro-span',
      attemptId: 'at-res',
      sequenceId: undefined,
    });
    expect(resolveSpanTarget({}, { [A]: 'at-res' }, { rolloutId: 'ro-def', attemptId: 'at-def' })).toEqual({
      rolloutId: 'ro-def',
      attemptId: 'at-res',
      sequenceId: undefined,
    });
    expect(resolveSpanTarget({ [S]: 4 }, { [R]: 'r', [A]: 'a', [S]: 9 })?.sequenceId).toBe(4);
    expect(resolveSpanTarget({}, { [R]: 'r', [A]: 'a', [S]: 9 })?.sequenceId).toBe(9);
  });

  it('treats an empty string as missing, and writes out numeric ids', () => {
    expect(resolveSpanTarget({ [R]: '', [A]: '' }, { [R]: 'ro-res', [A]: '' }, { attemptId: 'at-def' })).toEqual({
      rolloutId: 'ro-res',
      attemptId: 'at-def',
      sequenceId: undefined,
    });
    expect(resolveSpanTarget({ [R]: 17, [A]: 'a' }, {})?.rolloutId).toBe('17');
    expect(resolveSpanTarget({ [R]: 1.5, [A]: 'a' }, {})).toBeUndefined();
    expect(resolveSpanTarget({ [R]: true, [A]: 'a' }, { [R]: 'ro-res' })).toBeUndefined();
    expect(resolveSpanTarget({ [R]: true, [A]: 'a' }, {}, { rolloutId: 'ro-def' })?.rolloutId).toBe('ro-def');
  });

  it('is undefined without a rollout id or without an attempt id', () => {
    expect(resolveSpanTarget({ [R]: 'r' }, {})).toBeUndefined();
    expect(resolveSpanTarget({}, { [A]: 'a' })).toBeUndefined();
    expect(resolveSpanTarget({ [R]: '' }, { [A]: 'a' }, { rolloutId: '' })).toBeUndefined();
  });

  it('reads sequence ids from numbers and decimal text; negative, fractional or unparsable ones are missing', () => {
    const seq = (value: unknown, resource?: unknown): number | undefined =>
      resolveSpanTarget({ [R]: 'r', [A]: 'a', [S]: value as string }, resource === undefined ? {} : { [S]: resource as string })?.sequenceId;
    expect(seq(0)).toBe(0);
    expect(seq(12)).toBe(12);
    expect(seq('12')).toBe(12);
    expect(seq(' +7 ')).toBe(7);
    expect(seq(-3)).toBeUndefined();
    expect(seq('-3')).toBeUndefined();
    expect(seq(1.5)).toBeUndefined();
    expect(seq('1.5')).toBeUndefined();
    expect(seq('abc')).toBeUndefined();
    expect(seq('')).toBeUndefined();
    expect(seq(2 ** 53)).toBeUndefined();
    // The span's value wins over the resource's even when it is unusable; only an empty one falls through.
    expect(seq('abc', 5)).toBeUndefined();
    expect(seq('', 5)).toBe(5);
  });
});
