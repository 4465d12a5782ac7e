import { cappedPage } from '../../frontend/limits';
import type { LightningStoreServiceServer } from '../../../gen/lightning/store/v1/store_service';
import { pageInfoToWire, workerQueryFromWire } from '../mapping/queries';
import { workerToWire } from '../mapping/workers';
import type { ServiceContext } from './context';
import { unaryIn } from './context';

type WorkerRpcs = 'getWorker' | 'queryWorkers' | 'updateWorker';

/** Handlers of the worker RPCs: read workers and record their heartbeats. */
export function workerHandlers(ctx: ServiceContext): Pick<LightningStoreServiceServer, WorkerRpcs> {
  const { store } = ctx;
  const unary = unaryIn(ctx);
  return {
    getWorker: unary(async (req) => ({ worker: workerToWire(await store.getWorker(req.workerId)) })),
    queryWorkers: unary(async (req) => {
      const page = await store.queryWorkers(cappedPage(workerQueryFromWire(req), ctx.limits.maxPageItems));
      return { workers: page.items.map(workerToWire), page: pageInfoToWire(page) };
    }),
    updateWorker: unary(async (req) => ({
      worker: workerToWire(await store.updateWorker(req.workerId, req.heartbeatStatsJson ?? null)),
    })),
  };
}
