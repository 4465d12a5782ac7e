import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { skipSuite } from '../support/skip';

/**
 * agent-lightning 0.3's own Python LightningStoreClient drives a full round against a real server
 * (test/python/agl_round.py). The interpreter is $AGL_PYTHON, else the venv scripts/python-env.sh
 * builds; without either the test is skipped, except under CI=true, where it fails.
 */

const root = join(__dirname, '..', '..');
const venvPython = join(root, '.tools', 'agl-venv', 'bin', 'python');
const python = process.env['AGL_PYTHON'] || (existsSync(venvPython) ? venvPython : null);
const setup = 'build the environment with: export AGL_PYTHON="$(bash scripts/python-env.sh)"';

interface Outcome {
  readonly code: number | null;
  readonly output: string;
}

function run(command: string, args: readonly string[], timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    // litellm (imported by agentlightning) would otherwise fetch its model price list at import.
    const child = spawn(command, args, { env: { ...process.env, LITELLM_LOCAL_MODEL_COST_MAP: 'True' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

if (python === null) {
  describe('agent-lightning 0.3 LightningStoreClient', () => skipSuite(`no Python environment for agent-lightning 0.3; ${setup}`));
} else {
  const interpreter = python;
  describe('agent-lightning 0.3 LightningStoreClient', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer();
    });
    afterAll(async () => {
      await t.stop();
    });

    it('runs a full round: resources, queue, retries, spans (client and OTLP), waits, queries, workers', async () => {
      const script = join(__dirname, 'agl_round.py');
      const outcome = await run(interpreter, [script, `http://127.0.0.1:${t.server.httpPort}`], 240_000);
      if (outcome.code !== 0) throw new Error(`agl_round.py exited with ${outcome.code}:\n${outcome.output}`);
      expect(outcome.output).toContain('LightningStoreClient: full round passed');
    }, 300_000);
  });
}
