import type {
  Attempt,
  AttemptedRollout,
  ResourcesUpdate,
  Resource,
  Rollout,
  RolloutConfig,
  Worker,
} from '../../domain/records';
import type { StoreStatistics } from '../../store/store';
import type { JsonOut } from './json-out';
import { raw } from './json-out';

/*
 * Store records -> agent-lightning JSON (reference §1, Appendix C): snake_case keys, every declared key
 * present (null when unset), times in float seconds, stored JSON payloads inlined verbatim.
 */

/** RolloutConfig -> JSON. */
export function configJson(config: RolloutConfig): JsonOut {
  return {
    timeout_seconds: config.timeoutSeconds,
    unresponsive_seconds: config.unresponsiveSeconds,
    max_attempts: config.maxAttempts,
    retry_condition: [...config.retryCondition],
  };
}

/** Rollout -> JSON, without an `attempt` key. */
export function rolloutJson(rollout: Rollout): { readonly [key: string]: JsonOut } {
  return {
    rollout_id: rollout.rolloutId,
    input: raw(rollout.input),
    start_time: rollout.startTime,
    end_time: rollout.endTime,
    mode: rollout.mode,
    resources_id: rollout.resourcesId,
    status: rollout.status,
    config: configJson(rollout.config),
    metadata: raw(rollout.metadata),
  };
}

/** Attempt -> JSON. */
export function attemptJson(attempt: Attempt): JsonOut {
  return {
    rollout_id: attempt.rolloutId,
    attempt_id: attempt.attemptId,
    sequence_id: attempt.sequenceId,
    start_time: attempt.startTime,
    end_time: attempt.endTime,
    status: attempt.status,
    worker_id: attempt.workerId,
    last_heartbeat_time: attempt.lastHeartbeatTime,
    metadata: raw(attempt.metadata),
  };
}

/**
 * A rollout with its latest attempt -> JSON. The `attempt` key is present only when the rollout has an
 * attempt: clients tell AttemptedRollout from Rollout by that key (COMPAT).
 */
export function attemptedRolloutJson(value: AttemptedRollout): JsonOut {
  const rollout = rolloutJson(value.rollout);
  return value.attempt === null ? rollout : { ...rollout, attempt: attemptJson(value.attempt) };
}

function resourceJson(resource: Resource): JsonOut {
  if (resource.kind === 'prompt_template') {
    return { resource_type: 'prompt_template', template: resource.template, engine: resource.engine };
  }
  return {
    resource_type: resource.kind,
    endpoint: resource.endpoint,
    model: resource.model,
    api_key: resource.apiKey,
    sampling_parameters: raw(resource.samplingParameters),
  };
}

/** ResourcesUpdate -> JSON; each resource carries its `resource_type`. */
export function resourcesUpdateJson(update: ResourcesUpdate): JsonOut {
  const resources: Record<string, JsonOut> = {};
  for (const [name, resource] of Object.entries(update.resources)) resources[name] = resourceJson(resource);
  return {
    resources_id: update.resourcesId,
    create_time: update.createTime,
    update_time: update.updateTime,
    version: update.version,
    resources,
  };
}

/** Worker -> JSON. */
export function workerJson(worker: Worker): JsonOut {
  return {
    worker_id: worker.workerId,
    status: worker.status,
    heartbeat_stats: raw(worker.heartbeatStats),
    last_heartbeat_time: worker.lastHeartbeatTime,
    last_dequeue_time: worker.lastDequeueTime,
    last_busy_time: worker.lastBusyTime,
    last_idle_time: worker.lastIdleTime,
    current_rollout_id: worker.currentRolloutId,
    current_attempt_id: worker.currentAttemptId,
  };
}

/**
 * Statistics -> the reference's statistics dict (`name`, `total_*`, `uptime` in seconds), plus the
 * backend and the rollout count per status.
 */
export function statisticsJson(stats: StoreStatistics): JsonOut {
  return {
    name: 'LightningStore',
    backend: stats.backend,
    total_rollouts: stats.totalRollouts,
    total_attempts: stats.totalAttempts,
    total_spans: stats.totalSpans,
    total_resources: stats.totalResources,
    total_workers: stats.totalWorkers,
    uptime: stats.uptimeSeconds,
    rollouts_by_status: { ...stats.rolloutsByStatus },
  };
}
