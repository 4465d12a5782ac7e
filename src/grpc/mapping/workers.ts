import type { Worker } from '../../domain/records';
import type { Worker as WireWorker } from '../../../gen/lightning/store/v1/records';
import { workerStatus } from './enums';

/** Domain Worker -> wire. */
export function workerToWire(worker: Worker): WireWorker {
  return {
    workerId: worker.workerId,
    status: workerStatus.toWire(worker.status),
    heartbeatStatsJson: worker.heartbeatStats,
    lastHeartbeatTime: worker.lastHeartbeatTime ?? undefined,
    lastDequeueTime: worker.lastDequeueTime ?? undefined,
    lastBusyTime: worker.lastBusyTime ?? undefined,
    lastIdleTime: worker.lastIdleTime ?? undefined,
    currentRolloutId: worker.currentRolloutId ?? undefined,
    currentAttemptId: worker.currentAttemptId ?? undefined,
  };
}
