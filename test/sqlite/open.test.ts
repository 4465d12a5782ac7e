import Database from 'better-sqlite3';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseOpenError } from '../../src/store/sqlite/open';
import { SCHEMA_VERSION } from '../../src/store/sqlite/schema';
import { SqliteBackend } from '../../src/store/sqlite/sqlite-backend';
import { LightningStore } from '../../src/store/lightning-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ls-sqlite-open-'));
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

const spec = { input: '{"task": 1}', mode: null, resourcesId: null, config: null, metadata: null };

function openError(path: string, options: { checkIntegrity?: boolean } = {}): DatabaseOpenError {
  try {
    new SqliteBackend({ path, ...options });
  } catch (err) {
    expect(err).toBeInstanceOf(DatabaseOpenError);
    return err as DatabaseOpenError;
  }
  throw new Error(`opening ${path} unexpectedly succeeded`);
}

describe('SQLite backend: opening the database file', () => {
  it('creates a new file in WAL mode with the current schema version', async () => {
    const path = join(dir, 'store.db');
    const backend = new SqliteBackend({ path });
    await backend.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
  });

  it('keeps every record across a reopen', async () => {
    const path = join(dir, 'store.db');
    const first = new LightningStore({ backend: new SqliteBackend({ path }) });
    const [rollout] = await first.enqueueRollouts([spec]);
    await first.close();
    const second = new LightningStore({ backend: new SqliteBackend({ path }) });
    expect((await second.getRollout(rollout!.rolloutId)).rollout).toEqual(rollout);
    const [claimed] = await second.dequeueRollouts(1, null);
    expect(claimed?.rollout.rolloutId).toBe(rollout!.rolloutId);
    await second.close();
  });

  it('refuses a file that is not SQLite, without changing it', () => {
    const path = join(dir, 'notes.txt');
    const content = 'this is not a database\n'.repeat(200);
    writeFileSync(path, content);
    expect(openError(path).message).toMatch(/not a usable SQLite database/);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('refuses a corrupt database file with the integrity check on, without changing it', async () => {
    const path = join(dir, 'store.db');
    const store = new LightningStore({ backend: new SqliteBackend({ path }) });
    await store.enqueueRollouts(Array.from({ length: 200 }, () => spec));
    await store.close();
    const bytes = readFileSync(path);
    for (let i = 4096; i < bytes.length; i += 97) bytes[i] = 0xa5; // garble every page but the header
    writeFileSync(path, bytes);
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    expect(openError(path, { checkIntegrity: true }).message).toMatch(/corrupt|not a usable SQLite database/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    // Without the check (the default) the open reads only the header and the schema, and writes nothing:
    // damage there is refused at open; damage elsewhere shows on the first read that meets it, as a
    // storage fault (UNAVAILABLE), never as INTERNAL.
    let backend: SqliteBackend | null = null;
    try {
      backend = new SqliteBackend({ path });
    } catch (err) {
      expect(err).toBeInstanceOf(DatabaseOpenError);
    }
    if (backend) {
      const store2 = new LightningStore({ backend });
      await expect(store2.queryRollouts({})).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/storage fault/) as string });
      await store2.close();
    }
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses a SQLite database that belongs to something else', () => {
    const path = join(dir, 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    other.close();
    expect(openError(path).message).toMatch(/database of something else \(tables: invoices\)/);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(0);
    check.close();
  });

  it('refuses a database written by a newer release', () => {
    const path = join(dir, 'future.db');
    const future = new Database(path);
    future.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    future.close();
    expect(openError(path).message).toMatch(new RegExp(`schema version ${SCHEMA_VERSION + 1}, written by a newer Lightning Store`));
  });

  it('explains a directory that does not exist', () => {
    expect(openError(join(dir, 'missing', 'store.db')).message).toMatch(/directory .*missing does not exist/);
  });
});
