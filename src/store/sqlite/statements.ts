import type Database from 'better-sqlite3';

/** SQL of the hot-path statements, compiled once per connection. */
export const STATEMENT_SQL = {
  selectRollout: 'SELECT doc, queue_pos, deadline, span_counter FROM rollouts WHERE rollout_id = ?',
  rolloutExists: 'SELECT 1 FROM rollouts WHERE rollout_id = ?',
  selectAttempts: 'SELECT doc FROM attempts WHERE rollout_id = ? ORDER BY sequence_id',
  insertRollout: `INSERT INTO rollouts (rollout_id, status, start_time, end_time, mode, resources_id, queue_pos, deadline, doc)
    VALUES (@rollout_id, @status, @start_time, @end_time, @mode, @resources_id, @queue_pos, @deadline, @doc)`,
  updateRollout: `UPDATE rollouts SET status = @status, start_time = @start_time, end_time = @end_time, mode = @mode,
    resources_id = @resources_id, queue_pos = @queue_pos, deadline = @deadline, doc = @doc WHERE rollout_id = @rollout_id`,
  updateRolloutPlacing: 'UPDATE rollouts SET queue_pos = ?, deadline = ? WHERE rollout_id = ?',
  nextQueuePos: 'SELECT coalesce(max(queue_pos), 0) + 1 AS pos FROM rollouts WHERE queue_pos IS NOT NULL',
  queueHead: 'SELECT rollout_id FROM rollouts WHERE queue_pos IS NOT NULL ORDER BY queue_pos LIMIT 1',
  dueRollouts: 'SELECT rollout_id FROM rollouts WHERE deadline IS NOT NULL AND deadline < ? ORDER BY deadline LIMIT ?',
  upsertAttempt: `INSERT INTO attempts (rollout_id, attempt_id, sequence_id, status, start_time, end_time, worker_id, last_heartbeat_time, doc)
    VALUES (@rollout_id, @attempt_id, @sequence_id, @status, @start_time, @end_time, @worker_id, @last_heartbeat_time, @doc)
    ON CONFLICT (rollout_id, attempt_id) DO UPDATE SET status = excluded.status, end_time = excluded.end_time,
    worker_id = excluded.worker_id, last_heartbeat_time = excluded.last_heartbeat_time, doc = excluded.doc`,
  selectCounter: 'SELECT span_counter FROM rollouts WHERE rollout_id = ?',
  updateCounter: 'UPDATE rollouts SET span_counter = ? WHERE rollout_id = ?',
  insertSpan: `INSERT INTO spans (rollout_id, attempt_id, span_id, sequence_id, trace_id, parent_id, name, start_time, end_time, doc)
    VALUES (@rollout_id, @attempt_id, @span_id, @sequence_id, @trace_id, @parent_id, @name, @start_time, @end_time, @doc)
    ON CONFLICT (rollout_id, attempt_id, span_id) DO NOTHING`,
  spanExists: 'SELECT 1 FROM spans WHERE rollout_id = ? AND attempt_id = ? AND span_id = ?',
  selectResources: 'SELECT doc FROM resources WHERE resources_id = ?',
  upsertResources: `INSERT INTO resources (resources_id, create_time, update_time, version, written, doc)
    VALUES (@resources_id, @create_time, @update_time, @version, @written, @doc)
    ON CONFLICT (resources_id) DO UPDATE SET update_time = excluded.update_time, version = excluded.version,
    written = excluded.written, doc = excluded.doc`,
  nextWritten: 'SELECT coalesce(max(written), 0) + 1 AS n FROM resources',
  latestResources: 'SELECT doc FROM resources ORDER BY update_time DESC, written DESC LIMIT 1',
  selectWorker: 'SELECT doc FROM workers WHERE worker_id = ?',
  upsertWorker: `INSERT INTO workers (worker_id, status, last_heartbeat_time, last_dequeue_time, last_busy_time, last_idle_time,
    current_rollout_id, current_attempt_id, doc)
    VALUES (@worker_id, @status, @last_heartbeat_time, @last_dequeue_time, @last_busy_time, @last_idle_time,
    @current_rollout_id, @current_attempt_id, @doc)
    ON CONFLICT (worker_id) DO UPDATE SET status = excluded.status, last_heartbeat_time = excluded.last_heartbeat_time,
    last_dequeue_time = excluded.last_dequeue_time, last_busy_time = excluded.last_busy_time,
    last_idle_time = excluded.last_idle_time, current_rollout_id = excluded.current_rollout_id,
    current_attempt_id = excluded.current_attempt_id, doc = excluded.doc`,
  selectCounts: 'SELECT name, n FROM counts',
  ping: 'SELECT 1',
} as const;

/** The prepared statements of one connection, by name. */
export type Statements = { readonly [K in keyof typeof STATEMENT_SQL]: Database.Statement };

/** Prepares every statement of STATEMENT_SQL on `db`. */
export function prepareStatements(db: Database.Database): Statements {
  return Object.fromEntries(Object.entries(STATEMENT_SQL).map(([name, sql]) => [name, db.prepare(sql)])) as Statements;
}
