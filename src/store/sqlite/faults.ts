import { StoreError, unavailable } from '../../domain/errors';
import { sqliteCode } from './open';

/**
 * What an SQLite error means to a client: a lock held too long by another process is UNAVAILABLE (retry);
 * a full disk is RESOURCE_EXHAUSTED (storage-full); I/O errors, a read-only or vanished file and corruption
 * are UNAVAILABLE (storage-fault). Each message names the cause, never the file. Anything else (a bug) is
 * returned as it is. `fault` is true for the storage faults that health must report.
 */
export function sqliteFault(err: unknown): { error: Error; fault: boolean } {
  const code = sqliteCode(err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return { error: unavailable('database is busy (locked by another writer); retry'), fault: false };
  }
  if (code === 'SQLITE_FULL') {
    return { error: new StoreError('RESOURCE_EXHAUSTED', 'storage full: the disk holding the database has no space left', { kind: 'storage-full' }), fault: true };
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_CORRUPT')) {
    return { error: new StoreError('UNAVAILABLE', `storage fault: the database cannot be written (${code})`, { kind: 'storage-fault', retryAfterSeconds: 1 }), fault: true };
  }
  return { error: err instanceof Error ? err : new Error(String(err)), fault: false };
}
