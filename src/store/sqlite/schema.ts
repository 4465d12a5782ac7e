/**
 * Versioned schema migrations, applied in order inside one transaction at open. The version lives in
 * `PRAGMA user_version`; a database written by a newer release is refused, never touched.
 *
 * Records are stored whole as JSON (`doc`) next to the columns that queries filter, sort or index on.
 * Every table has an integer primary key that doubles as insertion order (the tie-break of every sort).
 */
export const MIGRATIONS: readonly string[] = [
  // v1: the initial schema.
  `
  CREATE TABLE rollouts (
    seq INTEGER PRIMARY KEY,
    rollout_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    start_time REAL NOT NULL,
    end_time REAL,
    mode TEXT,
    resources_id TEXT,
    queue_pos INTEGER,
    deadline REAL,
    span_counter INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL
  );
  CREATE INDEX rollouts_queue ON rollouts (queue_pos) WHERE queue_pos IS NOT NULL;
  CREATE INDEX rollouts_deadline ON rollouts (deadline) WHERE deadline IS NOT NULL;
  CREATE INDEX rollouts_status ON rollouts (status, seq);

  CREATE TABLE attempts (
    seq INTEGER PRIMARY KEY,
    rollout_id TEXT NOT NULL,
    attempt_id TEXT NOT NULL,
    sequence_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    start_time REAL NOT NULL,
    end_time REAL,
    worker_id TEXT,
    last_heartbeat_time REAL,
    doc TEXT NOT NULL,
    UNIQUE (rollout_id, attempt_id)
  );
  CREATE UNIQUE INDEX attempts_sequence ON attempts (rollout_id, sequence_id);

  CREATE TABLE spans (
    seq INTEGER PRIMARY KEY,
    rollout_id TEXT NOT NULL,
    attempt_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    sequence_id INTEGER NOT NULL,
    trace_id TEXT NOT NULL,
    parent_id TEXT,
    name TEXT NOT NULL,
    start_time REAL,
    end_time REAL,
    doc TEXT NOT NULL,
    UNIQUE (rollout_id, attempt_id, span_id)
  );
  CREATE INDEX spans_rollout_order ON spans (rollout_id, sequence_id, start_time, seq);
  CREATE INDEX spans_attempt_order ON spans (rollout_id, attempt_id, sequence_id, start_time, seq);

  CREATE TABLE resources (
    seq INTEGER PRIMARY KEY,
    resources_id TEXT NOT NULL UNIQUE,
    create_time REAL NOT NULL,
    update_time REAL NOT NULL,
    version INTEGER NOT NULL,
    written INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX resources_latest ON resources (update_time, written);

  CREATE TABLE workers (
    seq INTEGER PRIMARY KEY,
    worker_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    last_heartbeat_time REAL,
    last_dequeue_time REAL,
    last_busy_time REAL,
    last_idle_time REAL,
    current_rollout_id TEXT,
    current_attempt_id TEXT,
    doc TEXT NOT NULL
  );
  CREATE INDEX workers_status ON workers (status, seq);
  `,
  // v2: record counts kept by triggers in the same transactions, so statistics read a few rows instead of
  // counting whole tables. Filled once from the data already there.
  `
  CREATE TABLE counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO counts (name, n) SELECT 'rollouts', count(*) FROM rollouts;
  INSERT INTO counts (name, n) SELECT 'attempts', count(*) FROM attempts;
  INSERT INTO counts (name, n) SELECT 'spans', count(*) FROM spans;
  INSERT INTO counts (name, n) SELECT 'resources', count(*) FROM resources;
  INSERT INTO counts (name, n) SELECT 'workers', count(*) FROM workers;
  INSERT INTO counts (name, n) SELECT 'status:' || status, count(*) FROM rollouts GROUP BY status;
  ${['attempts', 'spans', 'resources', 'workers'].map(countTriggers).join('\n')}
  CREATE TRIGGER rollouts_counted AFTER INSERT ON rollouts BEGIN
    UPDATE counts SET n = n + 1 WHERE name = 'rollouts';
    INSERT INTO counts (name, n) VALUES ('status:' || NEW.status, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER rollouts_uncounted AFTER DELETE ON rollouts BEGIN
    UPDATE counts SET n = n - 1 WHERE name IN ('rollouts', 'status:' || OLD.status);
  END;
  CREATE TRIGGER rollouts_recounted AFTER UPDATE OF status ON rollouts WHEN OLD.status IS NOT NEW.status BEGIN
    UPDATE counts SET n = n - 1 WHERE name = 'status:' || OLD.status;
    INSERT INTO counts (name, n) VALUES ('status:' || NEW.status, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1;
  END;
  `,
];

/** Triggers that keep the row count of `table` in `counts` (upserts that update fire no insert trigger). */
function countTriggers(table: string): string {
  return `
  CREATE TRIGGER ${table}_counted AFTER INSERT ON ${table} BEGIN UPDATE counts SET n = n + 1 WHERE name = '${table}'; END;
  CREATE TRIGGER ${table}_uncounted AFTER DELETE ON ${table} BEGIN UPDATE counts SET n = n - 1 WHERE name = '${table}'; END;`;
}

/** The schema version this release writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Tables of the schema; a database with other tables and no version is not ours. */
export const TABLES = ['rollouts', 'attempts', 'spans', 'resources', 'workers', 'counts'] as const;
