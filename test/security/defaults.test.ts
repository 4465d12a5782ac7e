import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli-process';

describe('safe defaults of serve', () => {
  it('listens on 127.0.0.1 when no host is given', async () => {
    const cli = runCli(['serve', '--backend', 'memory', '--port', '0', '--http-port', '0']);
    try {
      const line = await cli.waitForLog((l) => l['msg'] === 'Lightning Store listening');
      expect(String(line['address'])).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(String(line['httpAddress'])).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(line['authentication']).toBe('off');
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });

  it('refuses a non-loopback host without tokens, saying how to add them or opt out', async () => {
    const cli = runCli(['serve', '--backend', 'memory', '--host', '0.0.0.0', '--port', '0', '--http-port', '0']);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/cannot start: listening on 0\.0\.0\.0 \(not loopback\) needs tokens: give --token-file FILE or LIGHTNING_STORE_TOKENS/);
    expect(cli.stderr()).toMatch(/--insecure-no-auth/);
    expect(cli.logs.some((l) => l['msg'] === 'Lightning Store listening')).toBe(false);
  });

  it('refuses a bad token file without repeating its tokens', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ls-badtokens-'));
    try {
      const file = path.join(dir, 'tokens');
      writeFileSync(file, 'admin a-good-admin-token-123456\nroot a-secret-in-a-bad-entry-999\n');
      const cli = runCli(['serve', '--backend', 'memory', '--port', '0', '--http-port', '0', '--token-file', file]);
      expect(await cli.exited).toBe(1);
      expect(cli.stderr()).toMatch(/entry 2: the scope must be one of runner, admin/);
      const output = cli.stdout() + cli.stderr();
      expect(output).not.toContain('a-secret-in-a-bad-entry-999');
      expect(output).not.toContain('a-good-admin-token-123456');
      const missing = runCli(['serve', '--backend', 'memory', '--port', '0', '--http-port', '0', '--token-file', path.join(dir, 'none')]);
      expect(await missing.exited).toBe(1);
      expect(missing.stderr()).toMatch(/cannot read the token file .*: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
