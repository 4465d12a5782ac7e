import { StoreClient } from '../../src/client/store-client';
import { runCli } from '../support/cli-process';
import { call, startSecured, stop } from './support';

const ADMIN = 'admin-LEAKCHECK-token-1111111111';
const RUNNER = 'runner-LEAKCHECK-token-2222222222';
const WRONG = 'wrong-LEAKCHECK-token-3333333333';
const API_KEY = 'sk-LEAKCHECK-api-key-4444444444';
const MONGO_PASSWORD = 'LEAKCHECKmongoPassword5555';

/** Whatever in `text` gives a secret or an internal detail away. */
function leaks(text: string): string[] {
  const found = [ADMIN, RUNNER, WRONG, API_KEY, MONGO_PASSWORD].filter((secret) => text.includes(secret));
  if (/\n\s+at \S+ \(/.test(text.replace(/"stack":"[^"]*"/g, ''))) found.push('a stack trace outside an error log field');
  return found;
}

describe('nothing leaks', () => {
  it('keeps tokens and resource payloads out of the logs and answers of a full round at log level trace', async () => {
    const tokens = `admin ${ADMIN};runner ${RUNNER}`;
    const server = await startSecured(['--log-level', 'trace'], { LIGHTNING_STORE_TOKENS: tokens });
    const admin = new StoreClient(server.address, { token: ADMIN, retry: false });
    const runner = new StoreClient(server.address, { token: RUNNER, retry: false });
    const answers: string[] = [];
    try {
      await admin.addResources({ resources: { llm: { kind: { $case: 'llm', value: { endpoint: 'http://llm/v1', model: 'm', apiKey: API_KEY } } } } });
      await admin.enqueueRollout({ rollout: { inputJson: '{"task": 1}' } });
      const claimed = await runner.dequeueRollout({});
      const rolloutId = claimed.rollout!.rollout!.rolloutId;
      const attemptId = claimed.rollout!.attempt!.attemptId;
      await runner.getLatestResources({});
      await runner.updateAttempt({ rolloutId, attemptId, status: 4 });
      await expect(runner.enqueueRollout({ rollout: { inputJson: '{}' } })).rejects.toThrow(/PERMISSION_DENIED/);
      const wrong = new StoreClient(server.address, { token: WRONG, retry: false });
      const refusal = await wrong.getStatistics({}).catch((err: Error) => err.message);
      wrong.close();
      answers.push(refusal as string);
      const port = server.httpPort;
      const json = { 'content-type': 'application/json' };
      for (const answer of [
        await call(port, 'GET', '/v1/agl/resources/latest', { headers: { authorization: `Bearer ${WRONG}` } }),
        await call(port, 'POST', '/v1/agl/rollouts/ro-missing/attempts', { body: '{}', headers: { ...json, authorization: `Bearer ${RUNNER}` } }),
        await call(port, 'POST', '/v1/agl/queues/rollouts/enqueue', { body: '{"input": ', headers: { ...json, authorization: `Bearer ${ADMIN}` } }),
        await call(port, 'POST', '/v1/agl/resources', { body: JSON.stringify({ llm: { resource_type: 'bogus', api_key: API_KEY } }), headers: { ...json, authorization: `Bearer ${ADMIN}` } }),
      ]) {
        expect([answer.status >= 400, answer.body]).toEqual([true, answer.body]);
        answers.push(answer.body);
      }
      // The resources themselves do carry the key to a token holder: that is their purpose.
      expect((await call(port, 'GET', '/v1/agl/resources/latest', { headers: { authorization: `Bearer ${RUNNER}` } })).body).toContain(API_KEY);
    } finally {
      admin.close();
      runner.close();
      await stop(server);
    }
    expect(leaks(answers.join('\n'))).toEqual([]);
    expect(answers.join('\n')).not.toMatch(/\/work\/|\.ts:\d|SELECT |INSERT /);
    expect(leaks(server.cli.stdout() + server.cli.stderr())).toEqual([]);
    expect(server.cli.logs.some((l) => l['level'] === 10 || l['level'] === 20)).toBe(true);
  });

  it('keeps the MongoDB password out of the logs of a server that cannot connect', async () => {
    const uri = `mongodb://ls-user:${MONGO_PASSWORD}@127.0.0.1:1/`;
    const cli = runCli(['serve', '--backend', 'mongo', '--port', '0', '--http-port', '0', '--log-level', 'trace'], { LIGHTNING_STORE_MONGO_URI: uri });
    // It starts NOT_SERVING and keeps trying; the first failed store call is logged with its error.
    await cli.waitForLog((l) => l['level'] === 50);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(leaks(cli.stdout() + cli.stderr())).toEqual([]);
  }, 30_000);
});
