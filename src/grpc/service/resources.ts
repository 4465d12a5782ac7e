import { cappedPage } from '../../frontend/limits';
import type { LightningStoreServiceServer } from '../../../gen/lightning/store/v1/store_service';
import { pageInfoToWire, resourcesQueryFromWire } from '../mapping/queries';
import { namedResourcesFromWire, resourcesUpdateToWire } from '../mapping/resources';
import type { ServiceContext } from './context';
import { unaryIn } from './context';

type ResourcesRpcs = 'addResources' | 'updateResources' | 'getResources' | 'getLatestResources' | 'queryResources';

/** Handlers of the resources RPCs: versioned snapshots of named resources. */
export function resourcesHandlers(ctx: ServiceContext): Pick<LightningStoreServiceServer, ResourcesRpcs> {
  const { store } = ctx;
  const unary = unaryIn(ctx);
  return {
    addResources: unary(async (req) => ({
      resources: resourcesUpdateToWire(await store.addResources(namedResourcesFromWire(req.resources))),
    })),
    updateResources: unary(async (req) => ({
      resources: resourcesUpdateToWire(await store.updateResources(req.resourcesId, namedResourcesFromWire(req.resources))),
    })),
    getResources: unary(async (req) => ({ resources: resourcesUpdateToWire(await store.getResources(req.resourcesId)) })),
    getLatestResources: unary(async () => {
      const latest = await store.getLatestResources();
      return { resources: latest === null ? undefined : resourcesUpdateToWire(latest) };
    }),
    queryResources: unary(async (req) => {
      const page = await store.queryResources(cappedPage(resourcesQueryFromWire(req), ctx.limits.maxPageItems));
      return { resources: page.items.map(resourcesUpdateToWire), page: pageInfoToWire(page) };
    }),
  };
}
