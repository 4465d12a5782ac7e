import type { HttpRouteDeps } from '../http/routes';
import type { Route } from '../http/router';

/** OTLP/HTTP trace ingest: POST /v1/traces. */
export function otlpHttpRoutes(_deps: HttpRouteDeps): Route[] {
  return [];
}
