import type { StoreStatistics } from '../../store/store';
import type { GetStatisticsResponse } from '../../../gen/lightning/store/v1/store_service';

/** Store statistics -> wire; rollouts_by_status is keyed by the lowercase status name. */
export function statisticsToWire(stats: StoreStatistics): GetStatisticsResponse {
  return {
    backend: stats.backend,
    totalRollouts: stats.totalRollouts,
    totalAttempts: stats.totalAttempts,
    totalSpans: stats.totalSpans,
    totalResources: stats.totalResources,
    totalWorkers: stats.totalWorkers,
    evictedSpans: stats.evictedSpans,
    uptimeSeconds: stats.uptimeSeconds,
    rolloutsByStatus: { ...stats.rolloutsByStatus },
  };
}
