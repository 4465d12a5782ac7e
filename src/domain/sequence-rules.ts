import type { NewSpan, Span } from './records';

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
  return { first: base + 1, counter: base + r.count };
}

/** Gives the spans without a sequence id consecutive numbers from `first`, in order. */
export function assignSequenceIds(spans: readonly NewSpan[], first: number): Span[] {
  let next = first;
  return spans.map((span) => ({ ...span, sequenceId: span.sequenceId ?? next++ }));
}
