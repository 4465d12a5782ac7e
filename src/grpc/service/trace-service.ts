import type { TraceServiceServer } from '../../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import type { ServiceContext } from './context';
import { unaryIn } from './context';
import { exportTraces } from '../../frontend/otlp-export';

/** opentelemetry.proto.collector.trace.v1.TraceService: OTLP/gRPC trace ingest into the store. */
export function createTraceService(ctx: ServiceContext): TraceServiceServer {
  const unary = unaryIn(ctx);
  return { export: unary((request) => exportTraces(ctx.ingest, request, 'wait')) };
}
