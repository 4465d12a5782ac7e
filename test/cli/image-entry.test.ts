import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/build';
import { freePort } from '../support/free-port';

/**
 * No Docker engine runs here, so this runs what the image runs: the Dockerfile's ENTRYPOINT + CMD with
 * its ENV (data file moved to a temp dir, port moved to a free one), then its HEALTHCHECK command.
 */

const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
/** Instructions of the last (runtime) stage, continuation lines joined. */
const runtime = dockerfile
  .slice(dockerfile.lastIndexOf('\nFROM '))
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((line) => line.trim());

function instruction(name: string): string {
  const line = runtime.find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no ${name} in the runtime stage`);
  return line.slice(name.length + 1);
}

/** The exec-form (JSON array) command of an instruction; for HEALTHCHECK, the part after CMD. */
function command(name: string): string[] {
  const text = instruction(name);
  return JSON.parse(text.slice(text.indexOf('['))) as string[];
}

function imageEnv(): Record<string, string> {
  return Object.fromEntries(instruction('ENV').split(/\s+/).map((pair) => pair.split('=') as [string, string]));
}


const TOKENS = 'admin image-admin-token-0123456789';

/** Starts the entry command with the image's ENV plus `extra`; resolves once it listens, or with its exit code and stderr. */
function startEntry(entry: readonly string[], env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; exited: number | null; stderr: string }> {
  const child = spawn(process.execPath, entry.slice(1), { cwd: ROOT, env });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('Lightning Store listening') && resolve({ child, exited: null, stderr }));
    child.once('close', (code) => resolve({ child, exited: code, stderr }));
  });
}

it("runs the image's entry command with tokens from the environment, refuses it without, and passes its health check", async () => {
  const env = imageEnv();
  expect(env).toMatchObject({ LIGHTNING_STORE_HOST: '0.0.0.0', LIGHTNING_STORE_PORT: '4748', LIGHTNING_STORE_HTTP_PORT: '4747', LIGHTNING_STORE_DB: '/data/store.db' });
  const entry = [...command('ENTRYPOINT'), ...command('CMD')];
  expect(entry).toEqual(['node', 'bin/lightning-store.js', 'serve']);
  const health = command('HEALTHCHECK');
  expect(health).toEqual(['node', 'bin/lightning-store.js', 'health']);

  const data = mkdtempSync(path.join(tmpdir(), 'ls-image-'));
  const port = String(await freePort());
  const httpPort = String(await freePort());
  const runEnv = { PATH: process.env['PATH'] ?? '', ...env, LIGHTNING_STORE_DB: path.join(data, 'store.db'), LIGHTNING_STORE_PORT: port, LIGHTNING_STORE_HTTP_PORT: httpPort };
  const refused = await startEntry(entry, runEnv);
  expect(refused.exited).toBe(1);
  expect(refused.stderr).toMatch(/LIGHTNING_STORE_TOKENS.*--insecure-no-auth/);
  // Tests listen on 127.0.0.1 only: the container's 0.0.0.0 was refused above before anything was bound;
  // here the same entry runs with its tokens on loopback (the exposure rule with tokens is a unit test).
  const started = await startEntry(entry, { ...runEnv, LIGHTNING_STORE_TOKENS: TOKENS, LIGHTNING_STORE_HOST: '127.0.0.1' });
  try {
    expect(started.exited).toBeNull();
    // The check runs in the container's environment, so it follows the moved port.
    const result = spawnSync(process.execPath, health.slice(1), { cwd: ROOT, encoding: 'utf8', env: runEnv });
    expect(result.stdout).toBe(`127.0.0.1:${port}: SERVING\n`);
    expect(result.status).toBe(0);
  } finally {
    started.child.kill('SIGTERM');
    if (started.child.exitCode === null) await new Promise((resolve) => started.child.once('close', resolve));
    rmSync(data, { recursive: true, force: true });
  }
}, 60_000);
