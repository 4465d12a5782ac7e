import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IngestSpansRequest } from '../../gen/lightning/store/v1/store_service';
import { call, connect } from '../support/client';
import { ROOT } from '../support/build';
import type { CliProcess } from '../support/cli-process';
import { runCli } from '../support/cli-process';
import { healthClient } from '../support/grpc-clients';
import { wireSpan } from '../support/spans';

describe('lightning-store executable', () => {
  let cli: CliProcess | undefined;
  afterEach(async () => {
    if (cli && cli.child.exitCode === null && cli.child.signalCode === null) {
      cli.child.kill('SIGKILL');
      await cli.exited;
    }
    cli = undefined;
  });

  const listening = (line: Record<string, unknown>) => line['msg'] === 'Lightning Store listening';

  it('serves on SQLite in the data directory by default, answers health, and exits 0 on SIGTERM', async () => {
    const xdg = mkdtempSync(path.join(tmpdir(), 'ls-cli-xdg-'));
    cli = runCli(['serve', '--port', '0', '--http-port', '0', '--host', '127.0.0.1'], { LIGHTNING_STORE_WATCHDOG_INTERVAL_MS: '200', XDG_DATA_HOME: xdg });
    const line = await cli.waitForLog(listening);
    const dbPath = path.join(xdg, 'lightning-store', 'store.db');
    expect(line).toMatchObject({
      level: 30,
      backend: 'sqlite',
      options: { storage: { backend: 'sqlite', sqlite: { path: dbPath } }, watchdog: { intervalMs: 200 }, limits: { maxWaitSeconds: 30, maxMessageBytes: 16777216 }, drainSeconds: 10 },
    });
    expect(existsSync(dbPath)).toBe(true);
    const address = String(line['address']);
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    const health = healthClient(address);
    const client = connect(address);
    try {
      expect(await health.check('')).toBe('SERVING');
      expect((await call(client, 'getStatistics')).backend).toBe('sqlite');
      const probe = runCli(['health', '--address', address]);
      expect(await probe.exited).toBe(0);
      expect(probe.stdout()).toBe(`${address}: SERVING\n`);
    } finally {
      health.close();
      client.close();
    }
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.logs.map((l) => l['msg'])).toEqual(expect.arrayContaining(['signal received: shutting down gracefully', 'stopped']));
    expect(cli.stderr()).toBe('');
  });

  it('exits 1 at once on a second signal while the first shutdown is still draining', async () => {
    cli = runCli(['serve', '--backend', 'memory', '--port', '0', '--http-port', '0', '--host', '127.0.0.1', '--drain-seconds', '30']);
    const address = String((await cli.waitForLog(listening))['address']);
    const client = connect(address);
    try {
      const rolloutId = (await call(client, 'enqueueRollout', { rollout: {} })).rollout!.rolloutId;
      // An open stream holds the drain.
      const stream = client.ingestSpans(() => undefined);
      stream.write(IngestSpansRequest.fromPartial({ spans: [wireSpan(rolloutId, 'at-1')] }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      cli.child.kill('SIGINT');
      await cli.waitForLog((l) => l['msg'] === 'shutting down');
      cli.child.kill('SIGINT');
      expect(await cli.exited).toBe(1);
    } finally {
      client.close();
    }
  });

  it('exits 2 with a message on stderr for a bad flag or environment value', async () => {
    cli = runCli(['serve', '--port', 'eighty']);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain('--port: "eighty" must be an integer from 0 to 65535');
    cli = runCli(['serve', '--no-such-flag']);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(/Unknown option '--no-such-flag'/);
    cli = runCli(['serve'], { LIGHTNING_STORE_LOG_LEVEL: 'chatty' });
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain('LIGHTNING_STORE_LOG_LEVEL: "chatty" must be one of');
  });

  it('prints its version and help', async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    cli = runCli(['--version']);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toBe(`${version}\n`);
    cli = runCli(['--help']);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/^Usage: lightning-store serve/);
    expect(cli.stdout()).toContain('--watchdog-interval-ms');
  });

  it('exits 1 and logs the reason when the port is taken', async () => {
    cli = runCli(['serve', '--backend', 'memory', '--port', '0', '--http-port', '0', '--host', '127.0.0.1']);
    const port = String((await cli.waitForLog(listening))['address']).split(':')[1]!;
    const second = runCli(['serve', '--backend', 'memory', '--port', port, '--http-port', '0', '--host', '127.0.0.1']);
    expect(await second.exited).toBe(1);
    expect(second.logs.find((l) => l['msg'] === 'Lightning Store failed to start')).toMatchObject({ level: 60 });
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    const probe = runCli(['health', '--address', `127.0.0.1:${port}`]);
    expect(await probe.exited).toBe(1);
    expect(probe.stderr()).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port}: .+`));
  });
});
