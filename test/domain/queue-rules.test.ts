import { queuePosition } from '../../src/domain/queue-rules';
import type { RolloutStatus } from '../../src/domain/records';

describe('queuePosition (the queue re-entry rule)', () => {
  const tail = () => 'tail';

  it('gives a queued rollout a new tail position when the change enqueues it or it has none', () => {
    for (const status of ['queuing', 'requeuing'] as const) {
      expect(queuePosition(status, true, 'old', tail)).toBe('tail');
      expect(queuePosition(status, false, null, tail)).toBe('tail');
      expect(queuePosition(status, true, null, tail)).toBe('tail');
    }
  });

  it('keeps the position of a rollout a change leaves queued, without taking a new one', () => {
    let taken = 0;
    expect(queuePosition('queuing', false, 7, () => ++taken)).toBe(7);
    expect(taken).toBe(0);
  });

  it('takes every other status out of the queue, and never takes a position for it', () => {
    const others: RolloutStatus[] = ['preparing', 'running', 'succeeded', 'failed', 'cancelled'];
    for (const status of others) {
      expect(queuePosition(status, true, 3, () => {
        throw new Error('no position for a rollout out of the queue');
      })).toBeNull();
    }
  });
});
