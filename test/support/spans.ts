import type { Span } from '../../gen/lightning/store/v1/spans';
import type { DeepPartial } from './client';

let counter = 0;

/** A wire span of (rollout, attempt) with a fresh span id unless given; `extra` overrides any field. */
export function wireSpan(rolloutId: string, attemptId: string, extra: DeepPartial<Span> = {}): DeepPartial<Span> {
  counter += 1;
  return {
    rolloutId,
    attemptId,
    traceId: '0123456789abcdef0123456789abcdef',
    spanId: `span-${counter.toString(16).padStart(12, '0')}`,
    name: `step-${counter}`,
    attributesJson: '{"k":1}',
    startTime: 1_700_000_000 + counter,
    endTime: 1_700_000_001 + counter,
    ...extra,
  };
}
