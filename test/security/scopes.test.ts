import pino from 'pino';
import { LightningStoreServiceService } from '../../gen/lightning/store/v1/store_service';
import { TraceServiceService } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import { httpRoutes } from '../../src/http/routes';
import type { HttpRouteDeps } from '../../src/http/route-deps';
import { GRPC_REQUIREMENTS, HTTP_REQUIREMENTS, requirementOf } from '../../src/security/scopes';

describe('the scope tables', () => {
  it('give every RPC of the store and trace services a requirement', () => {
    const paths = [...Object.values(LightningStoreServiceService), ...Object.values(TraceServiceService)].map((m) => m.path);
    expect(paths.length).toBeGreaterThan(28);
    expect(paths.filter((p) => GRPC_REQUIREMENTS[p] === undefined)).toEqual([]);
  });

  it('give every HTTP route a requirement, and list no route that does not exist', () => {
    // The routes are only listed, never called, so their dependencies are not needed.
    const routes = httpRoutes({ logger: pino({ level: 'silent' }) } as unknown as HttpRouteDeps).map((r) => `${r.method} ${r.pattern}`);
    expect(routes.filter((key) => HTTP_REQUIREMENTS[key] === undefined)).toEqual([]);
    expect(Object.keys(HTTP_REQUIREMENTS).filter((key) => !routes.includes(key))).toEqual([]);
  });

  it('keep health open, writes of the plan admin, and the worker calls runner; unknown keys need admin', () => {
    expect(GRPC_REQUIREMENTS['/grpc.health.v1.Health/Check']).toBe('open');
    expect(GRPC_REQUIREMENTS['/lightning.store.v1.LightningStoreService/EnqueueRollout']).toBe('admin');
    expect(GRPC_REQUIREMENTS['/lightning.store.v1.LightningStoreService/UpdateResources']).toBe('admin');
    expect(GRPC_REQUIREMENTS['/lightning.store.v1.LightningStoreService/DequeueRollout']).toBe('runner');
    expect(GRPC_REQUIREMENTS['/lightning.store.v1.LightningStoreService/IngestSpans']).toBe('runner');
    expect(HTTP_REQUIREMENTS['POST /v1/agl/resources']).toBe('admin');
    expect(HTTP_REQUIREMENTS['POST /v1/traces']).toBe('runner');
    expect(requirementOf(GRPC_REQUIREMENTS, '/some.New/Method')).toBe('admin');
  });
});
