import { invalidArgument } from './errors';
import { MAX_SEQUENCE_ID } from './input-limits';
import type { NewSpan, Span } from './records';
import { spanKey } from './span-rules';

/**
 * What a batch of spans of one rollout asks of the rollout's sequence counter: raise it to at least the
 * greatest supplied id (supplied ids above the counter push later allocations past them), then hand out
 * `count` fresh numbers for the spans that came without one.
 */
export interface SequenceReservation {
  readonly raiseTo: number;
  readonly count: number;
}

/** The reservation a group of spans needs. */
export function planSequenceIds(spans: readonly NewSpan[]): SequenceReservation {
  let raiseTo = 0;
  let count = 0;
  for (const span of spans) {
    if (span.sequenceId === null) count += 1;
    else raiseTo = Math.max(raiseTo, span.sequenceId);
  }
  return { raiseTo, count };
}

/**
 * Applies a reservation to a counter (the last number issued or seen; 0 when none): returns the first
 * newly issued number and the new counter value. Counters only grow.
 */
export function reserveFromCounter(counter: number, r: SequenceReservation): { first: number; counter: number } {
  const base = Math.max(counter, r.raiseTo);
  if (base + r.count > MAX_SEQUENCE_ID) throw invalidArgument(`sequence ids exhausted: the counter cannot pass ${MAX_SEQUENCE_ID}`);
  return { first: base + 1, counter: base + r.count };
}

/** Gives the spans without a sequence id consecutive numbers from `first`, in order. */
export function assignSequenceIds(spans: readonly NewSpan[], first: number): Span[] {
  let next = first;
  return spans.map((span) => ({ ...span, sequenceId: span.sequenceId ?? next++ }));
}

/**
 * Which spans of one group are new: a span is a duplicate when `isStored(key)` says its key is already
 * stored or an earlier span of the group has the same key. Returns one flag per input span.
 */
export function newSpanFlags(spans: readonly NewSpan[], isStored: (key: string) => boolean): boolean[] {
  const seen = new Set<string>();
  return spans.map((span) => {
    const key = spanKey(span);
    if (isStored(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Gives the new spans (flags from newSpanFlags) sequence ids from a reservation starting at `first`, in
 * order; duplicates neither consume nor raise sequence ids. Returns, per input span, the numbered span
 * to insert or null for a duplicate.
 */
export function numberFlagged(spans: readonly NewSpan[], isNew: readonly boolean[], first: number): (Span | null)[] {
  const numbered = assignSequenceIds(spans.filter((_, i) => isNew[i]), first);
  let next = 0;
  return spans.map((_, i) => (isNew[i] ? (numbered[next++] ?? null) : null));
}

/** The reservation the new spans of a group need. */
export function planNewSpans(spans: readonly NewSpan[], isNew: readonly boolean[]): SequenceReservation {
  return planSequenceIds(spans.filter((_, i) => isNew[i]));
}

/**
 * Numbers the new spans of one group against the rollout's counter (see newSpanFlags). Returns, per
 * input span, the numbered span to insert or null for a duplicate, and the new counter value.
 */
export function numberNewSpans(
  spans: readonly NewSpan[],
  counter: number,
  isStored: (key: string) => boolean,
): { spans: (Span | null)[]; counter: number } {
  const isNew = newSpanFlags(spans, isStored);
  const reserved = reserveFromCounter(counter, planNewSpans(spans, isNew));
  return { spans: numberFlagged(spans, isNew, reserved.first), counter: reserved.counter };
}
