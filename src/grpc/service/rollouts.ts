import type { LightningStoreServiceServer } from '../../../gen/lightning/store/v1/store_service';
import { invalidArgument } from '../../domain/errors';
import { cappedPage, checkBatchSize } from '../../frontend/limits';
import { required } from '../mapping/required';
import { attemptedRolloutToWire, rolloutToWire, specFromWire } from '../mapping/rollouts';
import { pageInfoToWire, rolloutQueryFromWire } from '../mapping/queries';
import { rolloutUpdateFromWire } from '../mapping/updates';
import type { ServiceContext } from './context';
import { unaryIn } from './context';

type RolloutRpcs =
  | 'startRollout'
  | 'enqueueRollout'
  | 'enqueueManyRollouts'
  | 'dequeueRollout'
  | 'dequeueManyRollouts'
  | 'updateRollout'
  | 'getRollout'
  | 'queryRollouts';

/** Handlers of the rollout RPCs: create, queue, claim, change and read rollouts. */
export function rolloutHandlers(ctx: ServiceContext): Pick<LightningStoreServiceServer, RolloutRpcs> {
  const { store, limits } = ctx;
  const unary = unaryIn(ctx);
  return {
    startRollout: unary(async (req) => {
      const spec = specFromWire(required(req.rollout, 'rollout'), 'rollout');
      return { rollout: attemptedRolloutToWire(await store.startRollout(spec, req.workerId ?? null)) };
    }),
    enqueueRollout: unary(async (req) => {
      const [rollout] = await store.enqueueRollouts([specFromWire(required(req.rollout, 'rollout'), 'rollout')]);
      return { rollout: rollout && rolloutToWire(rollout) };
    }),
    enqueueManyRollouts: unary(async (req) => {
      checkBatchSize(req.rollouts.length, limits.maxBatchSize, 'rollouts');
      const specs = req.rollouts.map((spec, i) => specFromWire(spec, `rollouts[${i}]`));
      return { rollouts: (await store.enqueueRollouts(specs)).map(rolloutToWire) };
    }),
    dequeueRollout: unary(async (req) => {
      const [claimed] = await store.dequeueRollouts(1, req.workerId ?? null);
      return { rollout: claimed && attemptedRolloutToWire(claimed) };
    }),
    dequeueManyRollouts: unary(async (req) => {
      if (req.limit < 1) throw invalidArgument(`limit must be at least 1, got ${req.limit}`);
      checkBatchSize(req.limit, limits.maxBatchSize, 'limit');
      return { rollouts: (await store.dequeueRollouts(req.limit, req.workerId ?? null)).map(attemptedRolloutToWire) };
    }),
    updateRollout: unary(async (req) => {
      const update = rolloutUpdateFromWire(req);
      return { rollout: rolloutToWire(await store.updateRollout(req.rolloutId, update)) };
    }),
    getRollout: unary(async (req) => ({ rollout: attemptedRolloutToWire(await store.getRollout(req.rolloutId)) })),
    queryRollouts: unary(async (req) => {
      const page = await store.queryRollouts(cappedPage(rolloutQueryFromWire(req), ctx.limits.maxPageItems));
      return { rollouts: page.items.map(attemptedRolloutToWire), page: pageInfoToWire(page) };
    }),
  };
}
