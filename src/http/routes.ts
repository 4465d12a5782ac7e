import { aglRoutes } from './agl/routes';
import { otlpHttpRoutes } from './otlp-routes';
import type { HttpRouteDeps } from './route-deps';
import type { Route } from './router';

/** Every route of the HTTP port: the agent-lightning REST API and OTLP/HTTP. */
export function httpRoutes(deps: HttpRouteDeps): Route[] {
  return [...aglRoutes(deps), ...otlpHttpRoutes(deps)];
}
