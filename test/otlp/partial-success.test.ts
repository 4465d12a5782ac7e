import type { RejectedSpan } from '../../gen/lightning/store/v1/store_service';
import { MAX_REASONS, partialSuccessOf } from '../../src/otlp/partial-success';

const rejected = (reason: string, index = 0): RejectedSpan => ({ index, rolloutId: '', attemptId: '', spanId: '', reason, code: 'NOT_FOUND' });

describe('partialSuccessOf', () => {
  it('is absent when nothing was rejected, duplicates included', () => {
    expect(partialSuccessOf({ accepted: 3, duplicates: 2, rejected: [], rejectedCount: 0 })).toBeUndefined();
  });

  it('counts the rejected spans and lists each reason once with its count, in order of appearance', () => {
    const list = [rejected('Rollout ro-x not found'), rejected('span has no ids'), rejected('Rollout ro-x not found')];
    expect(partialSuccessOf({ accepted: 1, duplicates: 1, rejected: list, rejectedCount: 3 })).toEqual({
      rejectedSpans: 3,
      errorMessage: '3 of 5 spans rejected: Rollout ro-x not found (2 spans); span has no ids (1 span)',
    });
  });

  it('spells out at most MAX_REASONS reasons and counts the rest, listed or not', () => {
    const list = Array.from({ length: MAX_REASONS + 2 }, (_, i) => rejected(`reason ${i}`, i));
    const result = partialSuccessOf({ accepted: 0, duplicates: 0, rejected: list, rejectedCount: list.length + 5 });
    expect(result?.rejectedSpans).toBe(MAX_REASONS + 7);
    expect(result?.errorMessage).toContain(`reason ${MAX_REASONS - 1} (1 span); other reasons (7 spans)`);
    expect(result?.errorMessage).not.toContain(`reason ${MAX_REASONS} `);
  });
});
