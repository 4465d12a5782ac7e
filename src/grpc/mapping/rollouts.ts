import type {
  Attempt,
  AttemptedRollout,
  Rollout,
  RolloutConfig,
  RolloutSpec,
} from '../../domain/records';
import type {
  Attempt as WireAttempt,
  AttemptedRollout as WireAttemptedRollout,
  Rollout as WireRollout,
  RolloutConfig as WireRolloutConfig,
  RolloutSpec as WireRolloutSpec,
} from '../../../gen/lightning/store/v1/records';
import { attemptStatus, rolloutMode, rolloutStatus } from './enums';

/** Wire RolloutConfig -> domain; absent max_attempts means 1, absent timeouts mean none. */
export function configFromWire(wire: WireRolloutConfig, field: string): RolloutConfig {
  return {
    timeoutSeconds: wire.timeoutSeconds ?? null,
    unresponsiveSeconds: wire.unresponsiveSeconds ?? null,
    maxAttempts: wire.maxAttempts ?? 1,
    retryCondition: wire.retryCondition.map((s, i) => attemptStatus.toDomain(s, `${field}.retry_condition[${i}]`)),
  };
}

/** Domain RolloutConfig -> wire. */
export function configToWire(config: RolloutConfig): WireRolloutConfig {
  return {
    timeoutSeconds: config.timeoutSeconds ?? undefined,
    unresponsiveSeconds: config.unresponsiveSeconds ?? undefined,
    maxAttempts: config.maxAttempts,
    retryCondition: config.retryCondition.map((s) => attemptStatus.toWire(s)),
  };
}

/** Wire RolloutSpec -> domain; JSON text passes through (the engine validates it and fills defaults). */
export function specFromWire(wire: WireRolloutSpec, field: string): RolloutSpec {
  return {
    input: wire.inputJson,
    mode: rolloutMode.toDomain(wire.mode, `${field}.mode`),
    resourcesId: wire.resourcesId ?? null,
    config: wire.config === undefined ? null : configFromWire(wire.config, `${field}.config`),
    metadata: wire.metadataJson,
  };
}

/** Domain Rollout -> wire. */
export function rolloutToWire(rollout: Rollout): WireRollout {
  return {
    rolloutId: rollout.rolloutId,
    inputJson: rollout.input,
    startTime: rollout.startTime,
    endTime: rollout.endTime ?? undefined,
    mode: rolloutMode.toWire(rollout.mode),
    resourcesId: rollout.resourcesId ?? undefined,
    status: rolloutStatus.toWire(rollout.status),
    config: configToWire(rollout.config),
    metadataJson: rollout.metadata,
  };
}

/** Domain Attempt -> wire. */
export function attemptToWire(attempt: Attempt): WireAttempt {
  return {
    rolloutId: attempt.rolloutId,
    attemptId: attempt.attemptId,
    sequenceId: attempt.sequenceId,
    startTime: attempt.startTime,
    endTime: attempt.endTime ?? undefined,
    status: attemptStatus.toWire(attempt.status),
    workerId: attempt.workerId ?? undefined,
    lastHeartbeatTime: attempt.lastHeartbeatTime ?? undefined,
    metadataJson: attempt.metadata,
  };
}

/** Domain AttemptedRollout -> wire; `attempt` is absent for a rollout never attempted. */
export function attemptedRolloutToWire(value: AttemptedRollout): WireAttemptedRollout {
  return {
    rollout: rolloutToWire(value.rollout),
    attempt: value.attempt === null ? undefined : attemptToWire(value.attempt),
  };
}
