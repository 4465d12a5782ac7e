import type { Store } from '../store/store';
import { ByteBudget } from './byte-budget';
import type { IngestPipelineOptions } from './pipeline';
import { INGEST_PIPELINE_DEFAULTS, IngestPipeline } from './pipeline';
import type { SpanStreamOptions } from './span-stream';
import { SpanStream } from './span-stream';

/** Options of span ingest; every one has a default (INGEST_DEFAULTS). */
export interface IngestOptions extends IngestPipelineOptions {
  /** Most span bytes one stream or request holds in memory at once before it waits; default 16 MiB. */
  readonly maxStreamBytes: number;
  /** Most rejected spans an answer lists (the rest are counted); default 10000. */
  readonly maxRejectedListed: number;
}

/** Defaults of span ingest. */
export const INGEST_DEFAULTS: IngestOptions = {
  ...INGEST_PIPELINE_DEFAULTS,
  maxStreamBytes: 16 * 1024 * 1024,
  maxRejectedListed: 10_000,
};

/**
 * Span ingest shared by every front end: one group-commit pipeline over the store, and the memory
 * budget that spans waiting to be written draw from (the same budget bounds request bodies and answers).
 */
export class Ingest {
  /** The group-commit pipeline. */
  readonly pipeline: IngestPipeline;
  private readonly options: IngestOptions;

  constructor(
    store: Store,
    /** The server's memory budget. */
    readonly budget: ByteBudget,
    options: Partial<IngestOptions> = {},
  ) {
    this.options = { ...INGEST_DEFAULTS, ...options };
    this.pipeline = new IngestPipeline(store, this.options);
  }

  /** A new stream: `wait` for transports that can stop reading (gRPC streams), `refuse` for one-shot requests. */
  openStream(admission: SpanStreamOptions['admission'], onFailure?: (err: unknown) => void): SpanStream {
    const { maxStreamBytes, maxRejectedListed } = this.options;
    return new SpanStream(this.pipeline, this.budget, { maxStreamBytes, maxRejectedListed, admission }, onFailure);
  }

  /** Resolves once every span handed in so far is written (shutdown calls it before closing the store). */
  drain(): Promise<void> {
    return this.pipeline.drain();
  }
}

/** The server's memory budget of `capacity` bytes, which ingest, request bodies and answers share. */
export function memoryBudget(capacity: number): ByteBudget {
  return new ByteBudget({ capacity, name: 'the server memory budget' });
}
