import type Database from 'better-sqlite3';

/** The prepared statements of the hot paths, compiled once per connection. */
export function prepareStatements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  return {
    selectRollout: p('SELECT doc, queue_pos, span_counter FROM rollouts WHERE rollout_id = ?'),
    rolloutExists: p('SELECT 1 FROM rollouts WHERE rollout_id = ?'),
    selectAttempts: p('SELECT doc FROM attempts WHERE rollout_id = ? ORDER BY sequence_id'),
    insertRollout: p(
      `INSERT INTO rollouts (rollout_id, status, start_time, end_time, mode, resources_id, queue_pos, deadline, doc)
       VALUES (@rollout_id, @status, @start_time, @end_time, @mode, @resources_id, @queue_pos, @deadline, @doc)`,
    ),
    updateRollout: p(
      `UPDATE rollouts SET status = @status, start_time = @start_time, end_time = @end_time, mode = @mode,
       resources_id = @resources_id, queue_pos = @queue_pos, deadline = @deadline, doc = @doc WHERE rollout_id = @rollout_id`,
    ),
    nextQueuePos: p('SELECT coalesce(max(queue_pos), 0) + 1 AS pos FROM rollouts WHERE queue_pos IS NOT NULL'),
    queueHead: p('SELECT rollout_id FROM rollouts WHERE queue_pos IS NOT NULL ORDER BY queue_pos LIMIT 1'),
    dueRollouts: p('SELECT rollout_id FROM rollouts WHERE deadline IS NOT NULL AND deadline < ? ORDER BY deadline LIMIT ?'),
    upsertAttempt: p(
      `INSERT INTO attempts (rollout_id, attempt_id, sequence_id, status, start_time, end_time, worker_id, last_heartbeat_time, doc)
       VALUES (@rollout_id, @attempt_id, @sequence_id, @status, @start_time, @end_time, @worker_id, @last_heartbeat_time, @doc)
       ON CONFLICT (rollout_id, attempt_id) DO UPDATE SET status = excluded.status, end_time = excluded.end_time,
       worker_id = excluded.worker_id, last_heartbeat_time = excluded.last_heartbeat_time, doc = excluded.doc`,
    ),
    selectCounter: p('SELECT span_counter FROM rollouts WHERE rollout_id = ?'),
    updateCounter: p('UPDATE rollouts SET span_counter = ? WHERE rollout_id = ?'),
    insertSpan: p(
      `INSERT INTO spans (rollout_id, attempt_id, span_id, sequence_id, trace_id, parent_id, name, start_time, end_time, doc)
       VALUES (@rollout_id, @attempt_id, @span_id, @sequence_id, @trace_id, @parent_id, @name, @start_time, @end_time, @doc)
       ON CONFLICT (rollout_id, attempt_id, span_id) DO NOTHING`,
    ),
    spanExists: p('SELECT 1 FROM spans WHERE rollout_id = ? AND attempt_id = ? AND span_id = ?'),
    selectResources: p('SELECT doc FROM resources WHERE resources_id = ?'),
    upsertResources: p(
      `INSERT INTO resources (resources_id, create_time, update_time, version, written, doc)
       VALUES (@resources_id, @create_time, @update_time, @version, @written, @doc)
       ON CONFLICT (resources_id) DO UPDATE SET update_time = excluded.update_time, version = excluded.version,
       written = excluded.written, doc = excluded.doc`,
    ),
    nextWritten: p('SELECT coalesce(max(written), 0) + 1 AS n FROM resources'),
    latestResources: p('SELECT doc FROM resources ORDER BY update_time DESC, written DESC LIMIT 1'),
    selectWorker: p('SELECT doc FROM workers WHERE worker_id = ?'),
    upsertWorker: p(
      `INSERT INTO workers (worker_id, status, last_heartbeat_time, last_dequeue_time, last_busy_time, last_idle_time,
       current_rollout_id, current_attempt_id, doc)
       VALUES (@worker_id, @status, @last_heartbeat_time, @last_dequeue_time, @last_busy_time, @last_idle_time,
       @current_rollout_id, @current_attempt_id, @doc)
       ON CONFLICT (worker_id) DO UPDATE SET status = excluded.status, last_heartbeat_time = excluded.last_heartbeat_time,
       last_dequeue_time = excluded.last_dequeue_time, last_busy_time = excluded.last_busy_time,
       last_idle_time = excluded.last_idle_time, current_rollout_id = excluded.current_rollout_id,
       current_attempt_id = excluded.current_attempt_id, doc = excluded.doc`,
    ),
    countByStatus: p('SELECT status, count(*) AS n FROM rollouts GROUP BY status'),
    ping: p('SELECT 1'),
  };
}

/** The prepared statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>;
