import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION, TABLES } from './schema';

/** How the SQLite backend opens its file. */
export interface SqliteOptions {
  /** Database file; ":memory:" for a private in-memory database (tests). */
  readonly path: string;
  /**
   * "normal" (default): a committed write survives a crash of the server process; "full": it also
   * survives an operating-system crash or power loss, at the cost of an fsync per commit.
   */
  readonly synchronous?: 'normal' | 'full';
  /** How long a write waits for another process's write to finish, in ms; default 5000. */
  readonly busyTimeoutMs?: number;
  /**
   * Run SQLite's quick integrity check at open, which reads the whole file (seconds for gigabytes); default
   * false: the open reads only the header and the schema, and damage found later answers UNAVAILABLE.
   */
  readonly checkIntegrity?: boolean;
  /** Page cache in MiB, so that the hot indexes stay in memory; default 64 (SQLite's own default is 2). */
  readonly cacheMiB?: number;
}

/** The database cannot be opened or used; the message says why and what to do. */
export class DatabaseOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}

/** The SQLite result code of an error thrown by better-sqlite3 (e.g. "SQLITE_BUSY"), or "". */
export function sqliteCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
}

function explain(path: string, err: unknown): DatabaseOpenError {
  const code = sqliteCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new DatabaseOpenError(`${path} is not a usable SQLite database (not SQLite, or corrupt): ${detail}`);
  }
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') {
    return new DatabaseOpenError(
      `cannot open ${path} for writing (${detail}); the file and its directory must be writable, because SQLite keeps ${path}-wal and ${path}-shm beside it`,
    );
  }
  if (code === 'SQLITE_BUSY') return new DatabaseOpenError(`${path} is locked by another process for too long: ${detail}`);
  return new DatabaseOpenError(`cannot open ${path}: ${detail}`);
}

function checkPath(path: string): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir)) throw new DatabaseOpenError(`directory ${dir} does not exist; create it or choose another --db path`);
  if (existsSync(path) && !statSync(path).isFile()) throw new DatabaseOpenError(`${path} exists and is not a regular file`);
}

function migrate(db: Database.Database, path: string): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new DatabaseOpenError(
        `${path} has schema version ${version}, written by a newer Lightning Store; this release understands up to version ${SCHEMA_VERSION}. Upgrade Lightning Store or use another file.`,
      );
    }
    if (version === 0) {
      const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map(
        (r) => r.name,
      );
      const foreign = names.filter((n) => !(TABLES as readonly string[]).includes(n));
      if (foreign.length > 0) {
        throw new DatabaseOpenError(`${path} is a SQLite database of something else (tables: ${foreign.join(', ')}); refusing to use it`);
      }
    }
    if (version === SCHEMA_VERSION) return; // nothing to write: a current file is opened without a write
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * Opens (creating if needed) and migrates a Lightning Store database in WAL mode. Never writes to a file
 * that is not SQLite, belongs to something else, or comes from a newer release. Throws DatabaseOpenError.
 */
export function openDatabase(options: SqliteOptions): Database.Database {
  const { path } = options;
  const inMemory = path === ':memory:';
  if (!inMemory) checkPath(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    db.pragma('schema_version');
    if (!inMemory && options.checkIntegrity === true) {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new DatabaseOpenError(`${path} is corrupt: ${String(result)}`);
    }
    if (!inMemory) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new DatabaseOpenError(`${path}: could not switch to WAL mode (got ${String(mode)})`);
    }
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma(`cache_size = -${Math.round((options.cacheMiB ?? 64) * 1024)}`);
    migrate(db, path);
    return db;
  } catch (err) {
    db?.close();
    throw err instanceof DatabaseOpenError ? err : explain(path, err);
  }
}
