import type { Requirement } from './access';

const STORE = '/lightning.store.v1.LightningStoreService/';

/** What each store RPC needs: admin steers training (enqueue, start and update rollouts, write resources); runner does the work. */
const STORE_RPCS: Readonly<Record<string, Requirement>> = {
  StartRollout: 'admin',
  EnqueueRollout: 'admin',
  EnqueueManyRollouts: 'admin',
  UpdateRollout: 'admin',
  AddResources: 'admin',
  UpdateResources: 'admin',
  DequeueRollout: 'runner',
  DequeueManyRollouts: 'runner',
  StartAttempt: 'runner',
  UpdateAttempt: 'runner',
  GetRollout: 'runner',
  QueryRollouts: 'runner',
  QueryAttempts: 'runner',
  GetLatestAttempt: 'runner',
  AddSpan: 'runner',
  AddManySpans: 'runner',
  IngestSpans: 'runner',
  GetNextSpanSequenceId: 'runner',
  GetManySpanSequenceIds: 'runner',
  QuerySpans: 'runner',
  GetResources: 'runner',
  GetLatestResources: 'runner',
  QueryResources: 'runner',
  GetWorker: 'runner',
  QueryWorkers: 'runner',
  UpdateWorker: 'runner',
  WaitForRollouts: 'runner',
  GetStatistics: 'runner',
};

/**
 * What every gRPC method needs, by its path. Health stays open for load balancers; reflection needs a
 * runner token (grpcurl's -H headers go with its reflection calls too), so an unauthenticated peer
 * learns nothing about the server.
 */
export const GRPC_REQUIREMENTS: Readonly<Record<string, Requirement>> = {
  ...Object.fromEntries(Object.entries(STORE_RPCS).map(([name, need]) => [STORE + name, need])),
  '/opentelemetry.proto.collector.trace.v1.TraceService/Export': 'runner',
  '/grpc.health.v1.Health/Check': 'open',
  '/grpc.health.v1.Health/Watch': 'open',
  '/grpc.health.v1.Health/List': 'open',
  '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo': 'runner',
  '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo': 'runner',
};

/** What every HTTP route needs, by "METHOD pattern" (the router's pattern). Health stays open, as on gRPC. */
export const HTTP_REQUIREMENTS: Readonly<Record<string, Requirement>> = {
  'GET /v1/agl/health': 'open',
  'POST /v1/agl/queues/rollouts/enqueue': 'admin',
  'POST /v1/agl/rollouts': 'admin',
  'POST /v1/agl/rollouts/:rolloutId': 'admin',
  'POST /v1/agl/resources': 'admin',
  'POST /v1/agl/resources/:resourcesId': 'admin',
  'POST /v1/agl/queues/rollouts/dequeue': 'runner',
  'GET /v1/agl/rollouts': 'runner',
  'POST /v1/agl/rollouts/search': 'runner',
  'GET /v1/agl/rollouts/:rolloutId': 'runner',
  'POST /v1/agl/rollouts/:rolloutId/attempts': 'runner',
  'GET /v1/agl/rollouts/:rolloutId/attempts': 'runner',
  'POST /v1/agl/rollouts/:rolloutId/attempts/search': 'runner',
  'GET /v1/agl/rollouts/:rolloutId/attempts/latest': 'runner',
  'POST /v1/agl/rollouts/:rolloutId/attempts/:attemptId': 'runner',
  'POST /v1/agl/spans': 'runner',
  'GET /v1/agl/spans': 'runner',
  'POST /v1/agl/spans/search': 'runner',
  'POST /v1/agl/spans/next': 'runner',
  'GET /v1/agl/resources': 'runner',
  'GET /v1/agl/resources/latest': 'runner',
  'GET /v1/agl/resources/:resourcesId': 'runner',
  'GET /v1/agl/workers': 'runner',
  'POST /v1/agl/workers/search': 'runner',
  'GET /v1/agl/workers/:workerId': 'runner',
  'POST /v1/agl/workers/:workerId': 'runner',
  'GET /v1/agl/statistics': 'runner',
  'POST /v1/agl/waits/rollouts': 'runner',
  'POST /v1/traces': 'runner',
  'POST /v1/metrics': 'runner',
  'POST /v1/logs': 'runner',
  'POST /v1/development/profiles': 'runner',
};

/**
 * What a gRPC method or HTTP route needs; one missing from the tables needs admin, so a method or
 * route added without an entry is closed, not open (a test checks that every one has an entry).
 */
export function requirementOf(table: Readonly<Record<string, Requirement>>, key: string): Requirement {
  return table[key] ?? 'admin';
}
