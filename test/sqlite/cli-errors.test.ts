import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli-process';

/** Bad database files through the real command: a clear line on stderr, exit code 1, nothing damaged. */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ls-sqlite-cli-'));
  chmodSync(dir, 0o755);
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

async function refused(dbPath: string, wrapper: readonly string[] = []): Promise<string> {
  const cli = runCli(['serve', '--port', '0', '--http-port', '0', '--host', '127.0.0.1', '--db', dbPath], {}, wrapper);
  expect(await cli.exited).toBe(1);
  expect(cli.logs.find((l) => l['msg'] === 'Lightning Store failed to start')).toMatchObject({ level: 60 });
  return cli.stderr();
}

describe('lightning-store serve on a bad database file', () => {
  it('refuses a file that is not SQLite and leaves it as it was', async () => {
    const file = path.join(dir, 'notes.db');
    writeFileSync(file, 'plain text, not a database\n'.repeat(100));
    expect(await refused(file)).toMatch(/^lightning-store: cannot start: .*notes\.db is not a usable SQLite database/);
    expect(readFileSync(file, 'utf8')).toBe('plain text, not a database\n'.repeat(100));
  });

  it('refuses a path whose directory does not exist', async () => {
    expect(await refused(path.join(dir, 'nowhere', 'store.db'))).toMatch(/directory .*nowhere does not exist/);
  });

  it('refuses a read-only directory (run as an unprivileged user when the tests run as root)', async () => {
    const ro = path.join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    // root may write anywhere, so the server runs as "nobody" then; otherwise as the current user.
    const wrapper = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    expect(await refused(path.join(ro, 'store.db'), wrapper)).toMatch(/cannot open .*store\.db for writing/);
  });
});
