import { invalidArgument } from '../../domain/errors';
import { JSON_NULL } from '../../domain/json';
import type { AttemptUpdate, RolloutUpdate } from '../../domain/rollout-rules';
import { RolloutMode } from '../../../gen/lightning/store/v1/records';
import type { UpdateAttemptRequest, UpdateRolloutRequest } from '../../../gen/lightning/store/v1/store_service';
import { attemptStatus, rolloutMode, rolloutStatus } from './enums';
import { configFromWire } from './rollouts';

/**
 * Validates `clear_fields` against the fields that may be cleared and those that are set in the same
 * request; returns the names to clear. INVALID_ARGUMENT for an unknown name, a field that cannot be
 * cleared, or a field both set and cleared.
 */
function fieldsToClear(
  clearFields: readonly string[],
  present: Readonly<Record<string, boolean>>,
  unclearable: readonly string[],
): Set<string> {
  const allowed = Object.keys(present);
  for (const name of clearFields) {
    if (unclearable.includes(name)) throw invalidArgument(`clear_fields: "${name}" cannot be cleared`);
    if (!allowed.includes(name)) {
      throw invalidArgument(`clear_fields: unknown field "${name}"; allowed fields are: ${allowed.join(', ')}`);
    }
    if (present[name]) throw invalidArgument(`"${name}" is both set and named in clear_fields`);
  }
  return new Set(clearFields);
}

/** UpdateRolloutRequest -> RolloutUpdate: present fields are set, cleared ones become null ("null" for JSON). */
export function rolloutUpdateFromWire(req: UpdateRolloutRequest): RolloutUpdate {
  if (req.mode === RolloutMode.ROLLOUT_MODE_UNSPECIFIED) throw invalidArgument('mode: ROLLOUT_MODE_UNSPECIFIED is not a mode; use clear_fields: ["mode"] to clear it');
  const clear = fieldsToClear(
    req.clearFields,
    {
      input: req.inputJson !== undefined,
      mode: req.mode !== undefined,
      resources_id: req.resourcesId !== undefined,
      metadata: req.metadataJson !== undefined,
    },
    ['status', 'config'],
  );
  const update: { -readonly [K in keyof RolloutUpdate]: RolloutUpdate[K] } = {};
  if (req.inputJson !== undefined) update.input = req.inputJson;
  if (clear.has('input')) update.input = JSON_NULL;
  if (req.mode !== undefined) update.mode = rolloutMode.toDomain(req.mode, 'mode');
  if (clear.has('mode')) update.mode = null;
  if (req.resourcesId !== undefined) update.resourcesId = req.resourcesId;
  if (clear.has('resources_id')) update.resourcesId = null;
  if (req.status !== undefined) update.status = rolloutStatus.toDomain(req.status, 'status');
  if (req.config !== undefined) update.config = configFromWire(req.config, 'config');
  if (req.metadataJson !== undefined) update.metadata = req.metadataJson;
  if (clear.has('metadata')) update.metadata = JSON_NULL;
  return update;
}

/** UpdateAttemptRequest -> AttemptUpdate: present fields are set, cleared ones become null ("null" for JSON). */
export function attemptUpdateFromWire(req: UpdateAttemptRequest): AttemptUpdate {
  const clear = fieldsToClear(
    req.clearFields,
    {
      worker_id: req.workerId !== undefined,
      last_heartbeat_time: req.lastHeartbeatTime !== undefined,
      metadata: req.metadataJson !== undefined,
    },
    ['status'],
  );
  const update: { -readonly [K in keyof AttemptUpdate]: AttemptUpdate[K] } = {};
  if (req.status !== undefined) update.status = attemptStatus.toDomain(req.status, 'status');
  if (req.workerId !== undefined) update.workerId = req.workerId;
  if (clear.has('worker_id')) update.workerId = null;
  if (req.lastHeartbeatTime !== undefined) update.lastHeartbeatTime = req.lastHeartbeatTime;
  if (clear.has('last_heartbeat_time')) update.lastHeartbeatTime = null;
  if (req.metadataJson !== undefined) update.metadata = req.metadataJson;
  if (clear.has('metadata')) update.metadata = JSON_NULL;
  return update;
}
