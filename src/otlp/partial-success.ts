import type { ExportTracePartialSuccess } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import type { IngestTally } from '../domain/ingest-results';

/** Most distinct reasons an error message spells out; the rest are only counted. */
export const MAX_REASONS = 10;

function spans(n: number): string {
  return n === 1 ? '1 span' : `${n} spans`;
}

/**
 * The OTLP partial_success for an ingest tally: undefined when no span was rejected (duplicates of
 * stored spans count as taken), else the number rejected and a message listing each distinct reason
 * with how many spans it refused, in order of first appearance.
 */
export function partialSuccessOf(result: IngestTally): ExportTracePartialSuccess | undefined {
  if (result.rejectedCount === 0) return undefined;
  const counts = new Map<string, number>();
  for (const r of result.rejected) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  const reasons = [...counts].slice(0, MAX_REASONS).map(([reason, n]) => `${reason} (${spans(n)})`);
  const itemised = [...counts.values()].slice(0, MAX_REASONS).reduce((a, b) => a + b, 0);
  if (itemised < result.rejectedCount) reasons.push(`other reasons (${spans(result.rejectedCount - itemised)})`);
  const total = result.accepted + result.duplicates + result.rejectedCount;
  return {
    rejectedSpans: result.rejectedCount,
    errorMessage: `${result.rejectedCount} of ${spans(total)} rejected: ${reasons.join('; ')}`,
  };
}
