import type { HttpRouteDeps } from '../route-deps';
import type { Route } from '../router';
import { jsonReply } from '../router';
import { attemptRoutes } from './attempt-routes';
import { miscRoutes } from './misc-routes';
import { resourceRoutes } from './resource-routes';
import { rolloutRoutes } from './rollout-routes';
import { spanRoutes } from './span-routes';
import { workerRoutes } from './worker-routes';

/**
 * The agent-lightning REST API under /v1/agl (reference §10.3), as agent-lightning 0.3's
 * LightningStoreClient calls it. Errors answer `{"detail": ...}` with a 4xx status (404 for unknown ids,
 * 400/422 for bad input, 409 for a state conflict); see docs/semantics.md.
 */
export function aglRoutes(deps: HttpRouteDeps): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/agl/health',
      handler: () => Promise.resolve(deps.health.status === 'SERVING' ? jsonReply(200, { status: 'ok' }) : jsonReply(503, { detail: 'store unavailable' })),
    },
    ...rolloutRoutes(deps),
    ...attemptRoutes(deps),
    ...spanRoutes(deps),
    ...resourceRoutes(deps),
    ...workerRoutes(deps),
    ...miscRoutes(deps),
  ];
}
