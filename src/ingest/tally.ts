import type { StoreError } from '../domain/errors';
import type { IngestTally, RejectedSpan, SpanIdentity } from '../domain/ingest-results';
import type { SpanOutcome } from '../store/store';

/** Counts outcomes of one stream or request; lists rejections up to `maxListed`, then only counts them. */
export class TallyCounter {
  private accepted = 0;
  private duplicates = 0;
  private readonly rejected: RejectedSpan[] = [];
  /** Rejections beyond the listing limit. */
  unlisted = 0;

  constructor(private readonly maxListed: number) {}

  /** Counts the outcome of the span at `index`. */
  count(index: number, span: SpanIdentity, outcome: SpanOutcome): void {
    if (outcome.kind === 'stored') this.accepted += 1;
    else if (outcome.kind === 'duplicate') this.duplicates += 1;
    else this.reject(index, span, outcome.error);
  }

  /** Counts a span refused before it reached the store. */
  reject(index: number, span: SpanIdentity, err: StoreError): void {
    if (this.rejected.length >= this.maxListed) {
      this.unlisted += 1;
      return;
    }
    this.rejected.push({ index, rolloutId: span.rolloutId, attemptId: span.attemptId, spanId: span.spanId, reason: err.message, code: err.code });
  }

  /** The tally so far, rejections in stream order. */
  result(): IngestTally {
    const rejected = [...this.rejected].sort((a, b) => a.index - b.index);
    return { accepted: this.accepted, duplicates: this.duplicates, rejected, rejectedCount: rejected.length + this.unlisted };
  }
}
