import type { Attempt, ResourcesUpdate, Rollout, Span, Worker } from '../../domain/records';

/** Column values of each table, derived from the record; `doc` holds the whole record as JSON. */

export function rolloutRow(r: Rollout, queuePos: number | null, deadline: number | null) {
  return {
    rollout_id: r.rolloutId,
    status: r.status,
    start_time: r.startTime,
    end_time: r.endTime,
    mode: r.mode,
    resources_id: r.resourcesId,
    queue_pos: queuePos,
    deadline,
    doc: JSON.stringify(r),
  };
}

export function attemptRow(a: Attempt) {
  return {
    rollout_id: a.rolloutId,
    attempt_id: a.attemptId,
    sequence_id: a.sequenceId,
    status: a.status,
    start_time: a.startTime,
    end_time: a.endTime,
    worker_id: a.workerId,
    last_heartbeat_time: a.lastHeartbeatTime,
    doc: JSON.stringify(a),
  };
}

export function spanRow(s: Span) {
  return {
    rollout_id: s.rolloutId,
    attempt_id: s.attemptId,
    span_id: s.spanId,
    sequence_id: s.sequenceId,
    trace_id: s.traceId,
    parent_id: s.parentId,
    name: s.name,
    start_time: s.startTime,
    end_time: s.endTime,
    doc: JSON.stringify(s),
  };
}

export function resourcesRow(r: ResourcesUpdate, written: number) {
  return {
    resources_id: r.resourcesId,
    create_time: r.createTime,
    update_time: r.updateTime,
    version: r.version,
    written,
    doc: JSON.stringify(r),
  };
}

export function workerRow(w: Worker) {
  return {
    worker_id: w.workerId,
    status: w.status,
    last_heartbeat_time: w.lastHeartbeatTime,
    last_dequeue_time: w.lastDequeueTime,
    last_busy_time: w.lastBusyTime,
    last_idle_time: w.lastIdleTime,
    current_rollout_id: w.currentRolloutId,
    current_attempt_id: w.currentAttemptId,
    doc: JSON.stringify(w),
  };
}

/** Parses a stored `doc` column. */
export function fromDoc<T>(row: { doc: string }): T {
  return JSON.parse(row.doc) as T;
}
