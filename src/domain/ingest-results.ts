import type { StoreError } from './errors';
import type { NewSpan } from './records';

/** Who a span claims to be; what a rejection names. */
export interface SpanIdentity {
  readonly rolloutId: string;
  readonly attemptId: string;
  readonly spanId: string;
}

/** A span converted for the store by a front end, or one that could not be converted (with the reason). */
export type IngestItem = { readonly span: NewSpan } | { readonly unconverted: SpanIdentity; readonly error: StoreError };

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
