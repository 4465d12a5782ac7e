import { diag } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Span } from '../../gen/lightning/store/v1/spans';
import { readableSpanToWire } from './span-conversion';
import { resolveSpanTarget } from './span-target';
import { StoreClient } from './store-client';
import type { StoreClientOptions } from './store-client';

/** A span the exporter could not store. */
export interface DroppedSpan {
  readonly span: ReadableSpan;
  /** "MISSING_IDS" for a span that names no rollout or attempt; else the gRPC status name of the server's rejection, e.g. "NOT_FOUND". */
  readonly code: string;
  readonly reason: string;
}

/** The error of an export whose call succeeded but in which the server rejected spans; the others were stored. */
export class SpanRejectionError extends Error {
  constructor(
    /** Spans newly stored. */
    readonly accepted: number,
    /** Spans already stored before (not stored twice). */
    readonly duplicates: number,
    /** The rejected spans the server listed, with its reasons. */
    readonly rejected: readonly DroppedSpan[],
    /** Rejected spans in all (the server lists at most 10,000). */
    readonly rejectedCount: number,
  ) {
    super(`the store rejected ${rejectedCount} span(s)${rejected[0] ? `, e.g. ${rejected[0].code}: ${rejected[0].reason}` : ''}`);
    this.name = 'SpanRejectionError';
  }
}

/** Options of a StoreSpanExporter: where to send (`client` or `address`), and which ids to fall back on. */
export interface StoreSpanExporterOptions {
  /** The client to send with; shutdown() leaves it open. */
  readonly client?: StoreClient;
  /** Or the server's "host:port": the exporter makes its own client, closed by shutdown(). */
  readonly address?: string;
  /** Options of the exporter's own client (with `address`). */
  readonly clientOptions?: StoreClientOptions;
  /** Rollout id of spans that name none, neither in their attributes nor in their resource. */
  readonly rolloutId?: string;
  /** Attempt id of spans that name none, neither in their attributes nor in their resource. */
  readonly attemptId?: string;
  /** Spans per IngestSpans message; default 500. */
  readonly spansPerMessage?: number;
  /** Milliseconds one export may take, retries included; default the client's deadline. */
  readonly timeoutMs?: number;
  /** Told about every span that was not stored: skipped for missing ids, or rejected by the server. */
  readonly onDropped?: (dropped: readonly DroppedSpan[]) => void;
}

/**
 * An OpenTelemetry SpanExporter that streams finished spans to the Lightning Store (IngestSpans; each
 * stored span is a heartbeat of its attempt). A span goes to the rollout and attempt named by its
 * `agentlightning.rollout_id` / `agentlightning.attempt_id` attributes, else its resource's, else the
 * options'; `agentlightning.span_sequence_id` likewise (else the server assigns one). Results:
 * - a span without rollout or attempt id is not sent: it is reported to onDropped (MISSING_IDS) and by a
 *   diag warning, and does not fail the export (as the reference skips such spans);
 * - a call that fails (after the client's retries: the stream is retry-safe, spans are keyed by their ids)
 *   gives FAILED with the StoreClientError;
 * - spans the server rejects (e.g. an unknown attempt) give FAILED with a SpanRejectionError listing them
 *   (also reported to onDropped); the other spans of the export were stored;
 * - duplicates (spans stored before) count as success.
 */
export class StoreSpanExporter implements SpanExporter {
  private readonly client: StoreClient;
  private readonly ownsClient: boolean;
  private readonly pending = new Set<Promise<void>>();
  private shutdownDone: Promise<void> | null = null;

  constructor(private readonly options: StoreSpanExporterOptions) {
    if (options.client) {
      this.client = options.client;
      this.ownsClient = false;
    } else if (options.address) {
      this.client = new StoreClient(options.address, options.clientOptions);
      this.ownsClient = true;
    } else {
      throw new Error('StoreSpanExporter needs a client or an address');
    }
  }

  /** Sends `spans` and reports the outcome to `resultCallback` (see the class comment). */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.shutdownDone) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('StoreSpanExporter is shut down') });
      return;
    }
    const work = this.send(spans)
      .then(resultCallback)
      .catch((err: unknown) => diag.error('StoreSpanExporter: the result callback threw', err))
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  /** Resolves when every export in flight has finished. */
  async forceFlush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** Refuses further exports, waits for those in flight, and closes the exporter's own client. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownDone ??= this.forceFlush().then(() => {
      if (this.ownsClient) this.client.close();
    });
    return this.shutdownDone;
  }

  private async send(spans: readonly ReadableSpan[]): Promise<ExportResult> {
    const sent: ReadableSpan[] = [];
    const wires: Span[] = [];
    const skipped: DroppedSpan[] = [];
    for (const span of spans) {
      const target = resolveSpanTarget(span.attributes, span.resource.attributes, this.options);
      if (target) {
        sent.push(span);
        wires.push(readableSpanToWire(span, target));
      } else {
        skipped.push({ span, code: 'MISSING_IDS', reason: 'the span names no rollout id or no attempt id' });
      }
    }
    if (skipped.length > 0) {
      diag.warn(`StoreSpanExporter: skipped ${skipped.length} span(s) without agentlightning.rollout_id or agentlightning.attempt_id`);
      this.report(skipped);
    }
    if (wires.length === 0) return { code: ExportResultCode.SUCCESS };
    try {
      const answer = await this.client.ingestSpans(wires, { spansPerMessage: this.options.spansPerMessage, deadlineMs: this.options.timeoutMs });
      if (answer.rejectedCount === 0) return { code: ExportResultCode.SUCCESS };
      const rejected = answer.rejected.flatMap((r): DroppedSpan[] => {
        const span = sent[r.index];
        return span ? [{ span, code: r.code, reason: r.reason }] : [];
      });
      this.report(rejected);
      return { code: ExportResultCode.FAILED, error: new SpanRejectionError(answer.accepted, answer.duplicates, rejected, answer.rejectedCount) };
    } catch (err) {
      return { code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  private report(dropped: readonly DroppedSpan[]): void {
    try {
      this.options.onDropped?.(dropped);
    } catch (err) {
      diag.error('StoreSpanExporter: onDropped threw', err);
    }
  }
}
