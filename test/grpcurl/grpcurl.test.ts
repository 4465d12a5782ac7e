import os from 'node:os';
import path from 'node:path';
import { LightningStoreServiceService } from '../../gen/lightning/store/v1/store_service';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { findGrpcurl, runGrpcurl } from './grpcurl';
import type { GrpcurlRun } from './grpcurl';
import { skipSuite } from '../support/skip';

const SERVICE = 'lightning.store.v1.LightningStoreService';
const binary = findGrpcurl({ env: process.env, root: path.resolve(__dirname, '..', '..'), home: os.homedir() });
const MISSING = 'grpcurl not found (set GRPCURL, or install it with scripts/grpcurl.sh)';

/** The JSON grpcurl printed for a successful call. */
function answer(run: GrpcurlRun): Record<string, unknown> {
  if (run.code !== 0) throw new Error(`grpcurl exited with ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

if (binary === undefined) {
  describe('grpcurl', () => skipSuite(MISSING));
} else {
  const grpcurl = binary;
  describe(`grpcurl (${grpcurl}) against a real server: reflection only, no proto files`, () => {
    let t: TestServer;
    const call = (...args: string[]): Promise<GrpcurlRun> => runGrpcurl(grpcurl, [...args]);
    beforeAll(async () => {
      t = await startTestServer();
    });
    afterAll(async () => {
      await t.stop();
    });

    it('lists the store service and the health service', async () => {
      const run = await call(t.server.address, 'list');
      expect(run.code).toBe(0);
      expect(run.stdout.split('\n')).toEqual(expect.arrayContaining([SERVICE, 'grpc.health.v1.Health']));
    });

    it('describes every method of the service, the client stream included', async () => {
      const run = await call(t.server.address, 'describe', SERVICE);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`${SERVICE} is a service:`);
      for (const method of Object.keys(LightningStoreServiceService)) {
        expect(run.stdout).toContain(`rpc ${method.charAt(0).toUpperCase()}${method.slice(1)} (`);
      }
      expect(run.stdout).toContain('rpc IngestSpans ( stream .lightning.store.v1.IngestSpansRequest ) returns ( .lightning.store.v1.IngestSpansResponse );');
    });

    it('describes messages with their optional, enum and map fields', async () => {
      const update = await call(t.server.address, 'describe', 'lightning.store.v1.UpdateAttemptRequest');
      expect(update.code).toBe(0);
      expect(update.stdout).toContain('lightning.store.v1.UpdateAttemptRequest is a message:');
      expect(update.stdout).toContain('optional .lightning.store.v1.AttemptStatus status = 3;');
      expect(update.stdout).toContain('repeated string clear_fields = 7;');
      const context = await call(t.server.address, 'describe', 'lightning.store.v1.SpanContext');
      expect(context.stdout).toContain('map<string, string> trace_state = 4;');
    });

    it('enqueues, dequeues for a worker and finishes an attempt with JSON payloads', async () => {
      const enqueue = { rollout: { input_json: '{"question": "1+1?"}', mode: 'ROLLOUT_MODE_TRAIN', config: { max_attempts: 2 } } };
      const queued = answer(await call('-d', JSON.stringify(enqueue), t.server.address, `${SERVICE}/EnqueueRollout`))['rollout'] as Record<string, unknown>;
      expect(queued).toMatchObject({ inputJson: '{"question": "1+1?"}', mode: 'ROLLOUT_MODE_TRAIN', status: 'ROLLOUT_STATUS_QUEUING', config: { maxAttempts: 2 } });
      const rolloutId = queued['rolloutId'] as string;
      expect(rolloutId).toMatch(/^ro-/);

      const claimed = answer(await call('-d', '{"worker_id": "worker-1"}', t.server.address, `${SERVICE}/DequeueRollout`))['rollout'] as Record<string, Record<string, unknown>>;
      expect(claimed['rollout']).toMatchObject({ rolloutId, status: 'ROLLOUT_STATUS_PREPARING' });
      expect(claimed['attempt']).toMatchObject({ rolloutId, sequenceId: 1, workerId: 'worker-1', status: 'ATTEMPT_STATUS_PREPARING' });
      const attemptId = claimed['attempt']!['attemptId'] as string;

      const finish = { rollout_id: rolloutId, attempt_id: attemptId, status: 'ATTEMPT_STATUS_SUCCEEDED' };
      const finished = answer(await call('-d', JSON.stringify(finish), t.server.address, `${SERVICE}/UpdateAttempt`))['attempt'];
      expect(finished).toMatchObject({ rolloutId, attemptId, status: 'ATTEMPT_STATUS_SUCCEEDED', endTime: expect.any(Number) as unknown });
      const read = answer(await call('-d', JSON.stringify({ rollout_id: rolloutId }), t.server.address, `${SERVICE}/GetRollout`))['rollout'];
      expect(read).toMatchObject({ rollout: { rolloutId, status: 'ROLLOUT_STATUS_SUCCEEDED' }, attempt: { attemptId } });
    });

    it('exits with 64 + NOT_FOUND (69) and prints the code and message for an unknown rollout', async () => {
      const run = await call('-d', '{"rollout_id": "ro-missing"}', t.server.address, `${SERVICE}/GetRollout`);
      expect(run.code).toBe(64 + 5);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Code: NotFound');
      expect(run.stderr).toContain('Message: Rollout ro-missing not found');
    });
  });

  describe('grpcurl with bearer tokens (-H)', () => {
    const ADMIN = 'grpcurl-admin-token-0123456789';
    const RUNNER = 'grpcurl-runner-token-0123456789';
    let t: TestServer;
    const call = (...args: string[]): Promise<GrpcurlRun> => runGrpcurl(grpcurl, [...args]);
    const bearer = (token: string) => ['-H', `authorization: Bearer ${token}`];
    beforeAll(async () => {
      t = await startTestServer({ security: { tokens: `admin ${ADMIN}; runner ${RUNNER}` } });
    });
    afterAll(async () => {
      await t.stop();
    });

    it('lists and calls with a token; without one reflection and calls are UNAUTHENTICATED (64 + 16)', async () => {
      expect((await call(...bearer(RUNNER), t.server.address, 'list')).stdout).toContain(SERVICE);
      expect(answer(await call(...bearer(RUNNER), '-d', '{}', t.server.address, `${SERVICE}/GetStatistics`))).toBeDefined();
      const refused = await call(t.server.address, 'list');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/Unauthenticated|this call needs a token/);
      // -rpc-header sends the token with the call only; reflection then has no token.
      const noReflection = await call('-rpc-header', `authorization: Bearer ${RUNNER}`, '-d', '{}', t.server.address, `${SERVICE}/GetStatistics`);
      expect(noReflection.code).not.toBe(0);
    });

    it('exits with 64 + PERMISSION_DENIED (71) for a runner token on an admin call', async () => {
      const run = await call(...bearer(RUNNER), '-d', '{"rollout": {"input_json": "{}"}}', t.server.address, `${SERVICE}/EnqueueRollout`);
      expect(run.code).toBe(64 + 7);
      expect(run.stderr).toContain('Code: PermissionDenied');
      const admin = await call(...bearer(ADMIN), '-d', '{"rollout": {"input_json": "{}"}}', t.server.address, `${SERVICE}/EnqueueRollout`);
      expect(admin.code).toBe(0);
    });
  });
}
