import { cappedPage } from '../../frontend/limits';
import type { LightningStoreServiceServer } from '../../../gen/lightning/store/v1/store_service';
import { attemptedRolloutToWire, attemptToWire } from '../mapping/rollouts';
import { pageInfoToWire, windowFromWire } from '../mapping/queries';
import { attemptUpdateFromWire } from '../mapping/updates';
import type { ServiceContext } from './context';
import { unaryIn } from './context';

type AttemptRpcs = 'startAttempt' | 'updateAttempt' | 'queryAttempts' | 'getLatestAttempt';

/** Handlers of the attempt RPCs: start, change and read the attempts of a rollout. */
export function attemptHandlers(ctx: ServiceContext): Pick<LightningStoreServiceServer, AttemptRpcs> {
  const { store } = ctx;
  const unary = unaryIn(ctx);
  return {
    startAttempt: unary(async (req) => ({
      rollout: attemptedRolloutToWire(await store.startAttempt(req.rolloutId, req.workerId ?? null)),
    })),
    updateAttempt: unary(async (req) => {
      const update = attemptUpdateFromWire(req);
      return { attempt: attemptToWire(await store.updateAttempt(req.rolloutId, req.attemptId, update)) };
    }),
    queryAttempts: unary(async (req) => {
      const page = await store.queryAttempts(req.rolloutId, cappedPage(windowFromWire(req), ctx.limits.maxPageItems));
      return { attempts: page.items.map(attemptToWire), page: pageInfoToWire(page) };
    }),
    getLatestAttempt: unary(async (req) => {
      const attempt = await store.getLatestAttempt(req.rolloutId);
      return { attempt: attempt === null ? undefined : attemptToWire(attempt) };
    }),
  };
}
