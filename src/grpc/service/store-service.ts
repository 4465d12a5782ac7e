import type { LightningStoreServiceServer } from '../../../gen/lightning/store/v1/store_service';
import { attemptHandlers } from './attempts';
import type { ServiceContext } from './context';
import { miscHandlers } from './misc';
import { resourcesHandlers } from './resources';
import { rolloutHandlers } from './rollouts';
import { spanHandlers } from './spans';
import { workerHandlers } from './workers';

/** The LightningStoreService implementation: every RPC of store_service.proto, backed by `ctx.store`. */
export function createStoreService(ctx: ServiceContext): LightningStoreServiceServer {
  return {
    ...rolloutHandlers(ctx),
    ...attemptHandlers(ctx),
    ...spanHandlers(ctx),
    ...resourcesHandlers(ctx),
    ...workerHandlers(ctx),
    ...miscHandlers(ctx),
  };
}
