import type { StoreError } from '../domain/errors';
import type { SpanOutcome } from '../store/store';

/** Who a span claims to be; what a rejection names. */
export interface SpanIdentity {
  readonly rolloutId: string;
  readonly attemptId: string;
  readonly spanId: string;
}

/** A refused span: its position in the stream or request, who it claimed to be, and why. */
export interface RejectedSpan extends SpanIdentity {
  readonly index: number;
  readonly reason: string;
  readonly code: string;
}

/** What became of the spans of one stream or request. */
export interface IngestTally {
  readonly accepted: number;
  readonly duplicates: number;
  /** Rejected spans in stream order, at most the listing limit. */
  readonly rejected: readonly RejectedSpan[];
  /** Every rejected span, listed or not. */
  readonly rejectedCount: number;
}

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
