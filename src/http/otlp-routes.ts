import {
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import { invalidArgument } from '../domain/errors';
import { parseJsonBody } from './body';
import { HttpError } from './errors';
import type { HttpRequest, Route } from './router';
import { bytesReply, jsonReply } from './router';
import type { HttpRouteDeps } from './route-deps';
import { exportTraces } from '../frontend/otlp-export';
import { exportRequestFromJson, exportResponseToJson } from '../otlp/otlp-json';

/** The two OTLP/HTTP encodings. */
type OtlpEncoding = 'protobuf' | 'json';

const PROTOBUF_TYPE = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

/** The encoding a Content-Type names (parameters such as charset are ignored); anything else is a 415. */
function encodingOf(req: HttpRequest): OtlpEncoding {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === PROTOBUF_TYPE) return 'protobuf';
  if (type === JSON_TYPE) return 'json';
  throw new HttpError(415, `OTLP/HTTP takes ${PROTOBUF_TYPE} or ${JSON_TYPE}, got ${type === '' ? 'no content type' : type}`);
}

/** The request in either encoding; an undecodable body is INVALID_ARGUMENT (400). An empty protobuf body is an empty request. */
function decode(encoding: OtlpEncoding, body: Buffer): ExportTraceServiceRequest {
  if (encoding === 'json') return exportRequestFromJson(parseJsonBody(body));
  try {
    return ExportTraceServiceRequest.decode(body);
  } catch (err) {
    throw invalidArgument(`Unable to parse OTLP traces payload: ${(err as Error).message}`);
  }
}

/**
 * OTLP/HTTP trace ingest: POST /v1/traces with a protobuf or OTLP/JSON ExportTraceServiceRequest
 * (gzip or deflate bodies are undone by the HTTP server). Answers 200 with an ExportTraceServiceResponse
 * in the request's encoding, carrying partial_success when spans were refused; 400 for a body that
 * does not decode, 415 for another content type.
 */
export function otlpHttpRoutes(deps: HttpRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/traces',
      handler: async (req) => {
        const encoding = encodingOf(req);
        const response = await exportTraces(deps.ingest, decode(encoding, req.body), 'refuse');
        return encoding === 'json'
          ? jsonReply(200, exportResponseToJson(response))
          : bytesReply(200, ExportTraceServiceResponse.encode(response).finish(), PROTOBUF_TYPE);
      },
    },
    // The other OTLP signals are not kept: their paths answer 501, as agent-lightning's do.
    ...['/v1/metrics', '/v1/logs', '/v1/development/profiles'].map(
      (pattern): Route => ({
        method: 'POST',
        pattern,
        handler: () => Promise.resolve(jsonReply(501, { detail: `${pattern}: Lightning Store ingests traces only (POST /v1/traces)` })),
      }),
    ),
  ];
}
