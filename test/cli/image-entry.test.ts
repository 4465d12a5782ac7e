import { spawn, spawnSync } from 'node:child_process';
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


it("runs the image's entry command and passes its health check", async () => {
  const env = imageEnv();
  expect(env).toMatchObject({ LIGHTNING_STORE_HOST: '0.0.0.0', LIGHTNING_STORE_PORT: '4748', LIGHTNING_STORE_HTTP_PORT: '4747', LIGHTNING_STORE_DB: '/data/store.db' });
  const entry = [...command('ENTRYPOINT'), ...command('CMD')];
  expect(entry).toEqual(['node', 'bin/lightning-store.js', 'serve']);
  const health = command('HEALTHCHECK');
  expect(health.slice(0, 3)).toEqual(['node', 'bin/lightning-store.js', 'health']);

  const data = mkdtempSync(path.join(tmpdir(), 'ls-image-'));
  const port = String(await freePort());
  const httpPort = String(await freePort());
  const child = spawn(process.execPath, entry.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env, LIGHTNING_STORE_DB: path.join(data, 'store.db'), LIGHTNING_STORE_PORT: port, LIGHTNING_STORE_HTTP_PORT: httpPort },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('Lightning Store listening') && resolve());
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const check = health.slice(1).map((arg) => arg.replace(':4748', `:${port}`));
    const result = spawnSync(process.execPath, check, { cwd: ROOT, encoding: 'utf8' });
    expect(result.stdout).toBe(`127.0.0.1:${port}: SERVING\n`);
    expect(result.status).toBe(0);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
    rmSync(data, { recursive: true, force: true });
  }
}, 60_000);
