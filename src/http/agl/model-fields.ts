/**
 * The declared fields of agent-lightning's record models, in declaration order (reference §1). They are
 * the keys every answer carries, and the reference's `sort_by` check lists them in its 400 message.
 */

/** Rollout (without `attempt`: the reference sorts rollouts by Rollout's fields). */
export const ROLLOUT_FIELDS = ['rollout_id', 'input', 'start_time', 'end_time', 'mode', 'resources_id', 'status', 'config', 'metadata'] as const;

/** Attempt. */
export const ATTEMPT_FIELDS = [
  'rollout_id',
  'attempt_id',
  'sequence_id',
  'start_time',
  'end_time',
  'status',
  'worker_id',
  'last_heartbeat_time',
  'metadata',
] as const;

/** ResourcesUpdate. */
export const RESOURCES_FIELDS = ['resources_id', 'create_time', 'update_time', 'version', 'resources'] as const;

/** Worker. */
export const WORKER_FIELDS = [
  'worker_id',
  'status',
  'heartbeat_stats',
  'last_heartbeat_time',
  'last_dequeue_time',
  'last_busy_time',
  'last_idle_time',
  'current_rollout_id',
  'current_attempt_id',
] as const;

/** Span. */
export const SPAN_FIELDS = [
  'rollout_id',
  'attempt_id',
  'sequence_id',
  'trace_id',
  'span_id',
  'parent_id',
  'name',
  'status',
  'attributes',
  'events',
  'links',
  'start_time',
  'end_time',
  'context',
  'parent',
  'resource',
] as const;
