import type { NewSpan } from '../domain/records';
import type { SpanOutcome, Store } from '../store/store';

/** Options of the ingest pipeline; every one has a default (INGEST_PIPELINE_DEFAULTS). */
export interface IngestPipelineOptions {
  /** Most spans one store write carries; default 500. */
  readonly maxBatchSpans: number;
  /** Most span bytes (estimated) one store write carries; default 8 MiB. */
  readonly maxBatchBytes: number;
  /**
   * Milliseconds a span may wait for others before a write starts when no write is in progress; default
   * 0 (the next turn of the event loop). While a write is in progress, arrivals always wait for it and
   * go together in the next one.
   */
  readonly lingerMs: number;
}

/** Defaults of the ingest pipeline. */
export const INGEST_PIPELINE_DEFAULTS: IngestPipelineOptions = { maxBatchSpans: 500, maxBatchBytes: 8 * 1024 * 1024, lingerMs: 0 };

interface Entry {
  readonly spans: readonly NewSpan[];
  readonly bytes: number;
  readonly resolve: (outcomes: SpanOutcome[]) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Group commit of spans for every front end: spans submitted by any number of requests and streams are
 * written together, one store call (one transaction on SQLite) per batch, with each attempt's heartbeat
 * applied once per batch. A batch closes at maxBatchSpans spans or maxBatchBytes bytes, or when the
 * previous write ends, whichever comes first; one write runs at a time, so spans keep their arrival order.
 * Each submission learns its own outcomes; a store failure (outage, full disk) rejects every submission of
 * the failed batch, whose spans were then not written.
 */
export class IngestPipeline {
  private readonly options: IngestPipelineOptions;
  private queue: Entry[] = [];
  private queuedSpans = 0;
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  /** Spans handed in since start. */
  received = 0;
  /** Spans whose write ended with an outcome (stored, duplicate or rejected) since start. */
  written = 0;
  /** Spans of batches the store failed as a whole since start. */
  failed = 0;

  constructor(
    private readonly store: Store,
    options: Partial<IngestPipelineOptions> = {},
  ) {
    this.options = { ...INGEST_PIPELINE_DEFAULTS, ...options };
    if (!(this.options.maxBatchSpans >= 1)) throw new Error(`ingest batch size must be >= 1, got ${this.options.maxBatchSpans}`);
  }

  /** Spans waiting for a write, or being written. */
  get pendingSpans(): number {
    return this.queuedSpans;
  }

  /** Queues spans (their estimated size in `bytes`) and resolves with one outcome per span once written. */
  submit(spans: readonly NewSpan[], bytes: number): Promise<SpanOutcome[]> {
    if (spans.length === 0) return Promise.resolve([]);
    return new Promise<SpanOutcome[]>((resolve, reject) => {
      this.queue.push({ spans, bytes, resolve, reject });
      this.queuedSpans += spans.length;
      this.received += spans.length;
      this.schedule();
    });
  }

  /** Resolves once every span submitted so far has been written (or has failed). */
  async drain(): Promise<void> {
    while (this.writing !== null || this.queue.length > 0) {
      if (this.writing === null) this.startWriting();
      await this.writing;
    }
  }

  private schedule(): void {
    if (this.writing !== null || this.timer !== null) return;
    const start = (): void => {
      this.timer = null;
      this.startWriting();
    };
    this.timer = this.options.lingerMs > 0 ? setTimeout(start, this.options.lingerMs) : setImmediate(start);
  }

  private startWriting(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = null;
    }
    if (this.writing !== null || this.queue.length === 0) return;
    this.writing = this.writeAll().finally(() => {
      this.writing = null;
    });
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length > 0) await this.writeBatch(this.takeBatch());
  }

  private takeBatch(): Entry[] {
    const batch: Entry[] = [];
    let spans = 0;
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (batch.length > 0 && (spans + next.spans.length > this.options.maxBatchSpans || bytes + next.bytes > this.options.maxBatchBytes)) break;
      this.queue.shift();
      batch.push(next);
      spans += next.spans.length;
      bytes += next.bytes;
    }
    return batch;
  }

  private async writeBatch(batch: readonly Entry[]): Promise<void> {
    const spans = batch.flatMap((e) => e.spans);
    try {
      const outcomes = await this.store.addSpans(spans, { atomic: false });
      this.written += spans.length;
      let at = 0;
      for (const entry of batch) {
        entry.resolve(outcomes.slice(at, at + entry.spans.length));
        at += entry.spans.length;
      }
    } catch (err) {
      this.failed += spans.length;
      for (const entry of batch) entry.reject(err);
    } finally {
      this.queuedSpans -= spans.length;
    }
  }
}
