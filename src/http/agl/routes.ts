import type { HttpRouteDeps } from '../routes';
import type { Route } from '../router';
import { jsonReply } from '../router';

/** The agent-lightning REST API under /v1/agl (reference §10.3). */
export function aglRoutes(deps: HttpRouteDeps): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/agl/health',
      handler: () => Promise.resolve(deps.health.status === 'SERVING' ? jsonReply(200, { status: 'ok' }) : jsonReply(503, { detail: 'store unavailable' })),
    },
  ];
}
