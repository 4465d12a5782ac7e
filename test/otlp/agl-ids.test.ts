import { ATTEMPT_ID_KEY, resolveAglIds, ROLLOUT_ID_KEY, SEQUENCE_ID_KEY } from '../../src/otlp/agl-ids';
import { attrs } from './values';

describe('resolveAglIds', () => {
  it('reads the ids from the span, falling back to the resource key by key', () => {
    const resource = attrs({ [ROLLOUT_ID_KEY]: 'ro-res', [ATTEMPT_ID_KEY]: 'at-res', [SEQUENCE_ID_KEY]: 9 });
    expect(resolveAglIds([], resource)).toEqual({ rolloutId: 'ro-res', attemptId: 'at-res', sequenceId: 9 });
    expect(resolveAglIds(attrs({ [ATTEMPT_ID_KEY]: 'at-span' }), resource)).toEqual({ rolloutId: 'ro-res', attemptId: 'at-span', sequenceId: 9 });
    expect(resolveAglIds(attrs({ [ROLLOUT_ID_KEY]: 'ro-span', [SEQUENCE_ID_KEY]: 2 }), resource)).toEqual({
      rolloutId: 'ro-span',
      attemptId: 'at-res',
      sequenceId: 2,
    });
  });

  it('counts "" as missing, on the span (the resource applies) and on the resource', () => {
    const resource = attrs({ [ROLLOUT_ID_KEY]: 'ro-res', [ATTEMPT_ID_KEY]: '' });
    expect(resolveAglIds(attrs({ [ROLLOUT_ID_KEY]: '', [ATTEMPT_ID_KEY]: '' }), resource)).toEqual({
      rolloutId: 'ro-res',
      attemptId: null,
      sequenceId: null,
    });
  });

  it('takes integer ids in decimal and counts other kinds as missing', () => {
    expect(resolveAglIds(attrs({ [ROLLOUT_ID_KEY]: 12n, [ATTEMPT_ID_KEY]: true }), [])).toEqual({ rolloutId: '12', attemptId: null, sequenceId: null });
    expect(resolveAglIds(attrs({ [ROLLOUT_ID_KEY]: 1.5, [ATTEMPT_ID_KEY]: null }), attrs({ [ATTEMPT_ID_KEY]: 'at-res' }))).toEqual({
      rolloutId: null,
      attemptId: 'at-res',
      sequenceId: null,
    });
  });

  it.each([
    [0, 0],
    [17, 17],
    ['42', 42],
    [' 7 ', 7],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    [-1, null],
    ['-5', null],
    ['4x', null],
    ['', null],
    [2.5, null],
    [9007199254740993n, null],
    [true, null],
  ])('reads sequence id %p as %p', (value, expected) => {
    expect(resolveAglIds(attrs({ [SEQUENCE_ID_KEY]: value }), []).sequenceId).toBe(expected);
  });

  it('reads an integral double sequence id as that integer', () => {
    const double = (value: number) => [{ key: SEQUENCE_ID_KEY, value: { value: { $case: 'doubleValue' as const, value } } }];
    expect(resolveAglIds(double(3), []).sequenceId).toBe(3);
    expect(resolveAglIds(double(3.25), []).sequenceId).toBeNull();
  });

  it('lets an unusable span sequence id override a usable resource one (the store then assigns one)', () => {
    expect(resolveAglIds(attrs({ [SEQUENCE_ID_KEY]: -3 }), attrs({ [SEQUENCE_ID_KEY]: 5 })).sequenceId).toBeNull();
  });
});
