import type {
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import type { Ingest } from '../ingest/ingest';
import type { SpanStreamOptions } from '../ingest/span-stream';
import { convertExportRequest } from '../otlp/convert';
import { partialSuccessOf } from '../otlp/partial-success';

/**
 * Takes one OTLP export, over gRPC or HTTP alike: converts its spans and hands those with known ids to
 * the shared ingest pipeline (each stored group is a heartbeat of its attempt; missing sequence ids are
 * assigned), then answers which spans were refused. `admission` says whether the export waits for room in
 * the memory bounds or is refused at once (busy). Rejects only when the store fails as a whole (e.g.
 * UNAVAILABLE); spans written before that stay written, and a retried export finds them as duplicates.
 */
export async function exportTraces(
  ingest: Ingest,
  request: ExportTraceServiceRequest,
  admission: SpanStreamOptions['admission'],
): Promise<ExportTraceServiceResponse> {
  const stream = ingest.openStream(admission);
  await stream.push(convertExportRequest(request));
  return { partialSuccess: partialSuccessOf(await stream.finish()) };
}
