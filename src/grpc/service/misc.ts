import type { ServerUnaryCall } from '@grpc/grpc-js';
import type { LightningStoreServiceServer } from '../../../gen/lightning/store/v1/store_service';
import { cappedWaitSeconds, checkBatchSize } from '../../frontend/limits';
import { rolloutToWire } from '../mapping/rollouts';
import { statisticsToWire } from '../mapping/statistics';
import type { ServiceContext } from './context';
import { unaryIn } from './context';

/**
 * An abort signal for one call: it fires when the client cancels the call or the server shuts down.
 * `release` detaches the listeners once the call is done.
 */
function callSignal(call: ServerUnaryCall<unknown, unknown>, shutdown: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  call.once('cancelled', abort);
  shutdown.addEventListener('abort', abort, { once: true });
  if (call.cancelled || shutdown.aborted) abort();
  return {
    signal: controller.signal,
    release: () => {
      call.removeListener('cancelled', abort);
      shutdown.removeEventListener('abort', abort);
    },
  };
}

/** Handlers of WaitForRollouts (server-side wait, capped, cancellable) and GetStatistics. */
export function miscHandlers(ctx: ServiceContext): Pick<LightningStoreServiceServer, 'waitForRollouts' | 'getStatistics'> {
  const { store, limits } = ctx;
  const unary = unaryIn(ctx);
  return {
    waitForRollouts: unary(async (req, call) => {
      checkBatchSize(req.rolloutIds.length, limits.maxBatchSize, 'rollout_ids');
      const timeout = cappedWaitSeconds(req.timeoutSeconds, limits.maxWaitSeconds);
      const { signal, release } = callSignal(call, ctx.shutdown);
      try {
        return { rollouts: (await store.waitForRollouts(req.rolloutIds, timeout, signal)).map(rolloutToWire) };
      } finally {
        release();
      }
    }),
    getStatistics: unary(async () => statisticsToWire(await store.statistics())),
  };
}
