import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { skipSuite } from '../support/skip';

/**
 * agent-lightning 0.3's own Python code against a real server, one fresh server per script: its
 * LightningStoreClient drives a full round (agl_round.py), its runner with the default AgentOps tracer
 * exports spans and a reward over OTLP/HTTP (agl_tracer.py), and its Trainer runs an algorithm and two
 * runner processes in client-server mode on the server as an external store (agl_trainer.py). The
 * interpreter is $AGL_PYTHON, else the venv scripts/python-env.sh builds; without either the tests are
 * skipped, except under CI=true, where they fail.
 */

const venvPython = join(process.env['AGL_VENV'] ?? join(homedir(), '.cache', 'lightning-store', 'agl-venv'), 'bin', 'python');
const python = process.env['AGL_PYTHON'] || (existsSync(venvPython) ? venvPython : null);
const setup = 'build the environment with: export AGL_PYTHON="$(bash scripts/python-env.sh)"';

interface Outcome {
  readonly code: number | null;
  readonly output: string;
}

function run(command: string, args: readonly string[], timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    // litellm (imported by agentlightning) would otherwise fetch its model price list at import; no
    // __pycache__ is left in the source tree.
    const env = { ...process.env, LITELLM_LOCAL_MODEL_COST_MAP: 'True', PYTHONDONTWRITEBYTECODE: '1' };
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
  describe('agent-lightning 0.3 against a real server', () => skipSuite(`no Python environment for agent-lightning 0.3; ${setup}`));
} else {
  const interpreter = python;
  describe('agent-lightning 0.3 against a real server', () => {
    let t: TestServer | null = null;
    afterEach(async () => {
      await t?.stop();
      t = null;
    });

    /**
     * Runs one script against a fresh server; resolves with its output, rejects with it on a failure.
     * With `token` the server takes that admin token only, and the script gets it as the password of
     * its URL (`http://agl:TOKEN@...`): aiohttp sends a URL's user and password as Basic credentials.
     */
    async function runScript(name: string, token?: string): Promise<string> {
      t = await startTestServer(token === undefined ? {} : { security: { tokens: `admin ${token}` } });
      const credentials = token === undefined ? '' : `agl:${token}@`;
      const outcome = await run(interpreter, [join(__dirname, name), `http://${credentials}127.0.0.1:${t.server.httpPort}`], 240_000);
      if (outcome.code !== 0) throw new Error(`${name} exited with ${outcome.code}:\n${outcome.output}`);
      return outcome.output;
    }

    it('LightningStoreClient: a full round, and the client contract for unknown ids and values', async () => {
      expect(await runScript('agl_round.py')).toContain('LightningStoreClient: full round passed');
    }, 300_000);

    it('LightningStoreClient with a token in its URL: a full round on a server that needs tokens', async () => {
      expect(await runScript('agl_round.py', 'agl-admin-token-0123456789')).toContain('LightningStoreClient: full round passed');
    }, 300_000);

    it('LitAgentRunner with the default AgentOps tracer: spans and a float reward over OTLP/HTTP', async () => {
      expect(await runScript('agl_tracer.py')).toContain('AgentOps tracer: runner round passed');
    }, 300_000);

    it('Trainer in client-server mode with this server as its external store: an algorithm and two runners', async () => {
      expect(await runScript('agl_trainer.py')).toContain('Trainer: client-server round passed (6 rollouts, 2 runners)');
    }, 300_000);
  });
}
