import type {
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import type { ServiceLimits } from '../grpc/limits';
import { SpanIngest } from '../grpc/span-ingest';
import type { Store } from '../store/store';
import { convertExportRequest } from './convert';
import { partialSuccessOf } from './partial-success';

/**
 * Takes one OTLP export, over gRPC or HTTP alike: converts its spans, stores those with known ids
 * through the same batched ingest as IngestSpans (each stored group is a heartbeat of its attempt;
 * missing sequence ids are assigned), and answers which spans were refused. Rejects only when the store
 * fails as a whole (e.g. UNAVAILABLE); spans written before that stay written, and a retried export
 * finds them as duplicates.
 */
export async function exportTraces(
  store: Store,
  limits: ServiceLimits,
  request: ExportTraceServiceRequest,
): Promise<ExportTraceServiceResponse> {
  const ingest = new SpanIngest(store, { batchSize: limits.ingestBatchSize, maxRejectedListed: limits.maxBatchSize });
  ingest.addItems(convertExportRequest(request));
  await ingest.flush(true);
  return { partialSuccess: partialSuccessOf(ingest.result()) };
}
