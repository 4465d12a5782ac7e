import type { IngestSpansResponse, RejectedSpan } from '../../gen/lightning/store/v1/store_service';
import type { Span as WireSpan } from '../../gen/lightning/store/v1/spans';
import { StoreError } from '../domain/errors';
import type { NewSpan } from '../domain/records';
import type { Store } from '../store/store';
import { checkBatchSize } from './limits';
import { spanFromWire } from './mapping/spans';

/** Options of one streaming ingest. */
export interface SpanIngestOptions {
  /** Spans written per store call; default 500. */
  readonly batchSize?: number;
  /** Most spans one stream message may carry (more fails the stream with INVALID_ARGUMENT); default 10000. */
  readonly maxSpansPerMessage?: number;
  /** Most rejected spans listed in the answer; later rejections are only counted; default 10000. */
  readonly maxRejectedListed?: number;
}

interface PendingSpan {
  readonly index: number;
  readonly span: NewSpan;
}

/** Who a span claims to be; what a rejection names. */
export interface SpanIdentity {
  readonly rolloutId: string;
  readonly attemptId: string;
  readonly spanId: string;
}

/** A span converted for the store, or one that could not be converted (with the reason). */
export type IngestItem = { readonly span: NewSpan } | { readonly unconverted: SpanIdentity; readonly error: StoreError };

function itemOfWire(wire: WireSpan): IngestItem {
  try {
    return { span: spanFromWire(wire) };
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    return { unconverted: wire, error: err };
  }
}

/**
 * The state of one IngestSpans stream, without the stream: numbers every span from 0, rejects spans
 * that cannot be mapped, buffers the rest, writes them in batches with a non-atomic store call, and
 * tallies accepted, duplicate and rejected spans. Tests drive it directly.
 */
export class SpanIngest {
  private readonly batchSize: number;
  private readonly maxSpansPerMessage: number;
  private readonly maxRejectedListed: number;
  private pending: PendingSpan[] = [];
  private nextIndex = 0;
  private accepted = 0;
  private duplicates = 0;
  private readonly rejected: RejectedSpan[] = [];
  /** Rejections beyond maxRejectedListed (counted, not listed). */
  unlistedRejections = 0;

  constructor(
    private readonly store: Store,
    options: SpanIngestOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.maxSpansPerMessage = options.maxSpansPerMessage ?? 10_000;
    this.maxRejectedListed = options.maxRejectedListed ?? 10_000;
    if (!(this.batchSize >= 1)) throw new Error(`ingest batch size must be >= 1, got ${this.batchSize}`);
  }

  /**
   * Takes the spans of one stream message. Throws INVALID_ARGUMENT (fatal for the stream) when the
   * message carries too many spans. Returns true when a full batch is waiting to be flushed.
   */
  add(spans: readonly WireSpan[]): boolean {
    checkBatchSize(spans.length, this.maxSpansPerMessage, 'IngestSpansRequest.spans');
    return this.addItems(spans.map(itemOfWire));
  }

  /**
   * Takes spans converted by another front end (OTLP); unconverted ones are rejected at once. No size
   * limit: the caller's message size bounds it. Returns true when a full batch is waiting to be flushed.
   */
  addItems(items: readonly IngestItem[]): boolean {
    for (const item of items) {
      const index = this.nextIndex++;
      if ('span' in item) this.pending.push({ index, span: item.span });
      else this.reject(index, item.unconverted, item.error);
    }
    return this.pending.length >= this.batchSize;
  }

  /**
   * Writes every full batch, or with `all` everything pending, one store call per batch. Stops between
   * batches once `signal` aborts. Rejects when the store fails as a whole (not per span).
   */
  async flush(all: boolean, signal?: AbortSignal): Promise<void> {
    while (this.pending.length >= this.batchSize || (all && this.pending.length > 0)) {
      if (signal?.aborted) return;
      const batch = this.pending.slice(0, this.batchSize);
      this.pending = this.pending.slice(batch.length);
      const outcomes = await this.store.addSpans(
        batch.map((p) => p.span),
        { atomic: false },
      );
      batch.forEach(({ index, span }, i) => {
        const outcome = outcomes[i];
        if (outcome?.kind === 'stored') this.accepted += 1;
        else if (outcome?.kind === 'duplicate') this.duplicates += 1;
        else if (outcome?.kind === 'rejected') this.reject(index, span, outcome.error);
        else throw new Error(`store returned ${outcomes.length} outcomes for ${batch.length} spans`);
      });
    }
  }

  /** The answer for the spans handled so far; rejected spans in stream order. */
  result(): IngestSpansResponse {
    const rejected = [...this.rejected].sort((a, b) => a.index - b.index);
    return {
      accepted: this.accepted,
      duplicates: this.duplicates,
      rejected,
      rejectedCount: rejected.length + this.unlistedRejections,
    };
  }

  private reject(index: number, span: SpanIdentity, err: StoreError): void {
    if (this.rejected.length >= this.maxRejectedListed) {
      this.unlistedRejections += 1;
      return;
    }
    this.rejected.push({
      index,
      rolloutId: span.rolloutId,
      attemptId: span.attemptId,
      spanId: span.spanId,
      reason: err.message,
      code: err.code,
    });
  }
}
