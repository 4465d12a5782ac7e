import type { LightningStoreServiceServer } from '../../../gen/lightning/store/v1/store_service';
import { StoreError } from '../../domain/errors';
import type { NewSpan } from '../../domain/records';
import type { SpanOutcome } from '../../store/store';
import type { Span as WireSpan } from '../../../gen/lightning/store/v1/spans';
import { cappedPage, checkBatchSize } from '../../frontend/limits';
import { pageInfoToWire, spanQueryFromWire } from '../mapping/queries';
import { required } from '../mapping/required';
import { spanFromWire, spanToWire } from '../mapping/spans';
import type { ServiceContext } from './context';
import { unaryIn } from './context';
import { ingestSpansHandler } from './ingest-spans';

type SpanRpcs = 'addSpan' | 'addManySpans' | 'ingestSpans' | 'getNextSpanSequenceId' | 'getManySpanSequenceIds' | 'querySpans';

/** Maps the spans of a batch request; a mapping error names the span's position. */
function spansFromWire(spans: readonly WireSpan[]): NewSpan[] {
  return spans.map((span, i) => {
    try {
      return spanFromWire(span);
    } catch (err) {
      if (err instanceof StoreError) throw new StoreError(err.code, `spans[${i}]: ${err.message}`);
      throw err;
    }
  });
}

/** An atomic write never reports a rejected span; if one appears anyway, fail the call with its error. */
function throwIfRejected(outcomes: readonly SpanOutcome[]): void {
  for (const outcome of outcomes) if (outcome.kind === 'rejected') throw outcome.error;
}

/** Handlers of the span RPCs: store (one, many, streamed), sequence ids, and queries. */
export function spanHandlers(ctx: ServiceContext): Pick<LightningStoreServiceServer, SpanRpcs> {
  const { store, limits } = ctx;
  const unary = unaryIn(ctx);
  return {
    addSpan: unary(async (req) => {
      const outcomes = await store.addSpans([spanFromWire(required(req.span, 'span'))], { atomic: true });
      throwIfRejected(outcomes);
      const stored = outcomes.find((o) => o.kind === 'stored');
      return stored ? { span: spanToWire(stored.span), duplicate: false } : { span: undefined, duplicate: true };
    }),
    addManySpans: unary(async (req) => {
      checkBatchSize(req.spans.length, limits.maxBatchSize, 'spans');
      const outcomes = await store.addSpans(spansFromWire(req.spans), { atomic: true });
      throwIfRejected(outcomes);
      return {
        spans: outcomes.flatMap((o) => (o.kind === 'stored' ? [spanToWire(o.span)] : [])),
        duplicates: outcomes.filter((o) => o.kind === 'duplicate').length,
      };
    }),
    ingestSpans: ingestSpansHandler(ctx),
    getNextSpanSequenceId: unary(async (req) => {
      const [sequenceId] = await store.nextSequenceIds([{ rolloutId: req.rolloutId, attemptId: req.attemptId }]);
      return { sequenceId: required(sequenceId, 'sequence_id') };
    }),
    getManySpanSequenceIds: unary(async (req) => {
      checkBatchSize(req.targets.length, limits.maxBatchSize, 'targets');
      return { sequenceIds: await store.nextSequenceIds(req.targets.map((t) => ({ rolloutId: t.rolloutId, attemptId: t.attemptId }))) };
    }),
    querySpans: unary(async (req) => {
      const page = await store.querySpans(cappedPage(spanQueryFromWire(req), ctx.limits.maxPageItems));
      return { spans: page.items.map(spanToWire), page: pageInfoToWire(page) };
    }),
  };
}
