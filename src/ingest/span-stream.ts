import type { IngestItem, IngestTally, SpanIdentity } from '../domain/ingest-results';
import type { NewSpan } from '../domain/records';
import type { SpanOutcome } from '../store/store';
import type { ByteBudget } from './byte-budget';
import { busy } from './byte-budget';
import type { IngestPipeline } from './pipeline';
import { spanBytes } from '../domain/span-size';
import { TallyCounter } from './tally';

/** Options of one span stream. */
export interface SpanStreamOptions {
  /** Most span bytes (estimated) of this stream held in memory at once; its further messages wait. */
  readonly maxStreamBytes: number;
  /** Most rejected spans listed in the tally; later ones are only counted. */
  readonly maxRejectedListed: number;
  /** `wait`: a message waits for room in the budgets; `refuse`: it is refused at once (RESOURCE_EXHAUSTED, busy). */
  readonly admission: 'wait' | 'refuse';
}

/** The spans of one message and when they are written. */
export interface Admitted {
  /** Resolves with one outcome per span of the message once they are written. */
  readonly written: Promise<SpanOutcome[]>;
}

/**
 * The spans of one stream (an IngestSpans call, an OTLP export, a REST post), without the transport:
 * numbers every span from 0, takes each message's bytes from the global ingest budget and the stream's
 * own bound (waiting or refusing, as `admission` says), hands the spans to the shared pipeline at once
 * (so each is stored and heartbeats its attempt within one group commit), and tallies the outcomes.
 * A store failure of any batch becomes `failure`, reported through `onFailure`.
 */
export class SpanStream {
  private nextIndex = 0;
  private inFlightBytes = 0;
  private readonly tally: TallyCounter;
  private readonly writes = new Set<Promise<unknown>>();
  private roomWaiters: (() => void)[] = [];
  /** The first store failure of a batch this stream took part in, if any. */
  failure: unknown = null;

  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly budget: ByteBudget,
    private readonly options: SpanStreamOptions,
    private readonly onFailure: (err: unknown) => void = () => undefined,
  ) {
    this.tally = new TallyCounter(options.maxRejectedListed);
  }

  /** Rejections beyond the listing limit. */
  get unlistedRejections(): number {
    return this.tally.unlisted;
  }

  /**
   * Takes one message: waits (or refuses) until its bytes fit, then submits its spans. The caller stops
   * reading the stream until this resolves; rejects with the signal's reason or a busy error.
   */
  async push(items: readonly IngestItem[], signal?: AbortSignal): Promise<Admitted> {
    const spans: NewSpan[] = [];
    const owners: { index: number; span: SpanIdentity }[] = [];
    for (const item of items) {
      const index = this.nextIndex++;
      if ('span' in item) {
        spans.push(item.span);
        owners.push({ index, span: item.span });
      } else this.tally.reject(index, item.unconverted, item.error);
    }
    if (spans.length === 0) return { written: Promise.resolve([]) };
    let bytes = 0;
    for (const span of spans) bytes += spanBytes(span);
    await this.admit(bytes, signal);
    this.inFlightBytes += bytes;
    const written = this.pipeline.submit(spans, bytes);
    const counted = written
      .then(
        (outcomes) => outcomes.forEach((outcome, i) => this.tally.count(owners[i]!.index, owners[i]!.span, outcome)),
        (err: unknown) => {
          if (this.failure === null) {
            this.failure = err;
            this.onFailure(err);
          }
        },
      )
      .finally(() => {
        this.inFlightBytes -= bytes;
        this.budget.give(bytes);
        this.writes.delete(counted);
        const waiters = this.roomWaiters;
        this.roomWaiters = [];
        for (const wake of waiters) wake();
      });
    this.writes.add(counted);
    return { written };
  }

  /** Waits for every submitted span to be written, then gives the tally; rejects with `failure` if a write failed. */
  async finish(): Promise<IngestTally> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
    if (this.failure !== null) throw this.failure as Error;
    return this.tally.result();
  }

  private async admit(bytes: number, signal?: AbortSignal): Promise<void> {
    const limit = this.options.maxStreamBytes;
    if (this.options.admission === 'refuse') {
      if (this.inFlightBytes > 0 && this.inFlightBytes + bytes > limit) throw busy(`more than ${limit} span bytes of this stream are waiting to be stored`);
      if (!this.budget.tryTake(bytes)) throw busy(`${this.budget.name} holds ${this.budget.capacity} bytes`);
      return;
    }
    while (this.inFlightBytes > 0 && this.inFlightBytes + bytes > limit) {
      signal?.throwIfAborted();
      await new Promise<void>((wake) => this.roomWaiters.push(wake));
    }
    await this.budget.take(bytes, signal);
  }
}
