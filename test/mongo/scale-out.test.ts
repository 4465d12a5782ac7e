import { MongoClient } from 'mongodb';
import { AttemptStatus, RolloutStatus } from '../../gen/lightning/store/v1/records';
import type { AttemptedRollout } from '../../gen/lightning/store/v1/records';
import type { LightningStoreServiceClient } from '../../gen/lightning/store/v1/store_service';
import { call, ingest } from '../support/client';
import { describeWithMongo, dropDatabase, freshDatabase } from '../support/mongo';
import { ServerProcesses } from '../support/server-processes';
import { wireSpan } from '../support/spans';

/**
 * Scale-out on one MongoDB database (MONGODB_URI; CI runs it on the MongoDB-semantics mongo-java-server,
 * where it takes about two minutes): three server processes, 32 runners spread over them,
 * 3,000 rollouts. Kinds of rollout, by index: most succeed at once; some fail once and are retried;
 * some go silent on their first attempt and are retried after the watchdog marks it unresponsive; some
 * fail for good. The invariants are checked both while running (no rollout is held by two live attempts,
 * no attempt is handed out twice) and in the stored data at the end.
 */

/** Every stored span of the test's namespace, by rollout, decoded from the span documents. */
async function storedSpans(uri: string, database: string): Promise<Map<string, { spanId: string; attemptId: string; sequenceId: number }[]>> {
  const client = new MongoClient(uri);
  try {
    const docs = await client.db(database).collection('spans').find({ ns: 'scale' }, { projection: { doc: 1 } }).toArray();
    const out = new Map<string, { spanId: string; attemptId: string; sequenceId: number }[]>();
    for (const d of docs) {
      const span = JSON.parse(d['doc'] as string) as { rolloutId: string; attemptId: string; spanId: string; sequenceId: number };
      out.set(span.rolloutId, [...(out.get(span.rolloutId) ?? []), span]);
    }
    return out;
  } finally {
    await client.close();
  }
}

const ROLLOUTS = 3000;
const RUNNERS = 32;
const SPANS_PER_ATTEMPT = 2;
/**
 * unresponsive_seconds of the silent rollouts: long enough that a busy runner of the retry (a loaded
 * database can take seconds per call) is never taken for a silent one.
 */
const SILENCE_SECONDS = 15;
const WAVE = 300;

type Kind = 'ok' | 'retry' | 'silent' | 'fail';

function kindOf(i: number): Kind {
  if (i % 10 === 3) return 'retry';
  if (i % 10 === 7) return 'silent';
  if (i % 25 === 9) return 'fail';
  return 'ok';
}

const CONFIG: Record<Kind, object> = {
  ok: {},
  retry: { maxAttempts: 2, retryCondition: [AttemptStatus.ATTEMPT_STATUS_FAILED] },
  silent: { unresponsiveSeconds: SILENCE_SECONDS, maxAttempts: 2, retryCondition: [AttemptStatus.ATTEMPT_STATUS_UNRESPONSIVE] },
  fail: { maxAttempts: 1 },
};

/** What the finished data must show, per kind: the attempt statuses in order and the rollout status. */
const EXPECTED: Record<Kind, { attempts: AttemptStatus[]; rollout: RolloutStatus }> = {
  ok: { attempts: [AttemptStatus.ATTEMPT_STATUS_SUCCEEDED], rollout: RolloutStatus.ROLLOUT_STATUS_SUCCEEDED },
  retry: { attempts: [AttemptStatus.ATTEMPT_STATUS_FAILED, AttemptStatus.ATTEMPT_STATUS_SUCCEEDED], rollout: RolloutStatus.ROLLOUT_STATUS_SUCCEEDED },
  silent: {
    attempts: [AttemptStatus.ATTEMPT_STATUS_UNRESPONSIVE, AttemptStatus.ATTEMPT_STATUS_SUCCEEDED],
    rollout: RolloutStatus.ROLLOUT_STATUS_SUCCEEDED,
  },
  fail: { attempts: [AttemptStatus.ATTEMPT_STATUS_FAILED], rollout: RolloutStatus.ROLLOUT_STATUS_FAILED },
};

describeWithMongo('three servers on one MongoDB database', (uri) => {
  const servers = new ServerProcesses();
  const database = freshDatabase('scale_out');
  afterAll(async () => {
    // Servers first: a database dropped under open connections can crash some servers (FerretDB's SQLite handler did).
    await servers.stopAll('SIGTERM');
    await dropDatabase(uri, database);
  });

  it('drain 3,000 rollouts with retries and silent attempts, exactly once', async () => {
    const args = ['--backend', 'mongo', '--mongo-uri', uri, '--mongo-database', database, '--namespace', 'scale', '--watchdog-interval-ms', '5000'];
    const clients: LightningStoreServiceClient[] = [];
    for (let i = 0; i < 3; i++) clients.push((await servers.start(args)).client);

    const violations: string[] = [];
    const handedOut = new Set<string>();
    /** The live (not abandoned) attempt holding each rollout, as the runners see it. */
    const holder = new Map<string, string>();
    const acknowledged = new Map<string, Set<string>>(); // attempt id -> span ids the server accepted

    // The algorithm enqueues in waves, as training does: the next wave when the queue runs low.
    const kinds = new Map<string, Kind>();
    let enqueued = false;
    const produce = async (): Promise<void> => {
      for (let start = 0; start < ROLLOUTS; start += WAVE) {
        while (handedOut.size < start - WAVE / 2) await new Promise((r) => setTimeout(r, 200));
        const batch = Array.from({ length: Math.min(WAVE, ROLLOUTS - start) }, (_, j) => start + j);
        const answer = await call(clients[(start / WAVE) % 3]!, 'enqueueManyRollouts', {
          rollouts: batch.map((i) => ({ inputJson: JSON.stringify({ i, kind: kindOf(i) }), config: CONFIG[kindOf(i)] })),
        });
        answer.rollouts.forEach((r, j) => kinds.set(r.rolloutId, kindOf(batch[j]!)));
      }
      enqueued = true;
    };

    const work = async (client: LightningStoreServiceClient, claimed: AttemptedRollout): Promise<void> => {
      const { rolloutId, attemptId, sequenceId } = claimed.attempt!;
      if (handedOut.has(attemptId)) violations.push(`attempt ${attemptId} handed out twice`);
      handedOut.add(attemptId);
      const live = holder.get(rolloutId);
      if (live !== undefined) violations.push(`rollout ${rolloutId} held by ${live} and ${attemptId} at once`);
      holder.set(rolloutId, attemptId);

      const kind = (JSON.parse(claimed.rollout!.inputJson) as { kind: Kind }).kind;
      if (kind === 'silent' && sequenceId === 1) {
        // Goes silent at once, not a span sent: only the watchdog can end this attempt. (A runner that
        // sent spans late could revive it, which is the reference's behaviour but not this scenario.)
        holder.delete(rolloutId);
        return;
      }
      const spans = Array.from({ length: SPANS_PER_ATTEMPT }, () => wireSpan(rolloutId, attemptId));
      const answer = await ingest(client, [{ spans }]);
      if (answer.accepted !== SPANS_PER_ATTEMPT) violations.push(`attempt ${attemptId}: ${answer.accepted} spans accepted`);
      acknowledged.set(attemptId, new Set(spans.map((s) => s.spanId!)));

      const fails = kind === 'fail' || (kind === 'retry' && sequenceId === 1);
      holder.delete(rolloutId);
      await call(client, 'updateAttempt', {
        rolloutId,
        attemptId,
        status: fails ? AttemptStatus.ATTEMPT_STATUS_FAILED : AttemptStatus.ATTEMPT_STATUS_SUCCEEDED,
      });
    };

    const finished = (): Promise<number> =>
      call(clients[0]!, 'queryRollouts', {
        statusIn: [RolloutStatus.ROLLOUT_STATUS_SUCCEEDED, RolloutStatus.ROLLOUT_STATUS_FAILED],
        page: { limit: 0 },
      }).then((r) => r.page!.total);

    let done = false;
    const runner = async (index: number): Promise<void> => {
      const client = clients[index % 3]!;
      for (;;) {
        const claimed = (await call(client, 'dequeueRollout', { workerId: `runner-${index}` })).rollout;
        if (claimed) {
          await work(client, claimed);
          continue;
        }
        // Empty queue: done when every rollout is enqueued and finished; silent ones come back after the
        // watchdog. Idle runners wait, and only three of them count (a count is a query per call).
        if (!enqueued) {
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        if (index < 3 ? (await finished()) === ROLLOUTS : done) {
          done = true;
          return;
        }
        await new Promise((r) => setTimeout(r, 3000));
      }
    };
    const started = Date.now();
    await Promise.all([produce(), ...Array.from({ length: RUNNERS }, (_, i) => runner(i))]);
    const seconds = (Date.now() - started) / 1000;

    expect(violations).toEqual([]);

    // The stored data: statuses and attempts read through all three servers; the spans read from the
    // database in one pass.
    const ids = [...kinds.keys()];
    const spansOf = await storedSpans(uri, database);
    const problems: string[] = [];
    let spans = 0;
    const check = async (rolloutId: string, client: LightningStoreServiceClient): Promise<void> => {
      const expected = EXPECTED[kinds.get(rolloutId)!];
      const rollout = (await call(client, 'getRollout', { rolloutId })).rollout!;
      if (rollout.rollout!.status !== expected.rollout) problems.push(`${rolloutId}: rollout status ${rollout.rollout!.status}`);
      const attempts = (await call(client, 'queryAttempts', { rolloutId })).attempts;
      const statuses = attempts.map((a) => a.status);
      if (JSON.stringify(statuses) !== JSON.stringify(expected.attempts)) problems.push(`${rolloutId}: attempts ${statuses.join(',')}`);
      attempts.forEach((a, k) => {
        if (a.sequenceId !== k + 1) problems.push(`${rolloutId}: attempt sequence ${a.sequenceId} at ${k + 1}`);
        if (!handedOut.has(a.attemptId)) problems.push(`${rolloutId}: attempt ${a.attemptId} never handed to a runner`);
      });
      if (kinds.get(rolloutId) === 'silent' && attempts.length === 2) {
        // The retry was created only after the first attempt had been silent for unresponsive_seconds.
        const [first, second] = attempts as [(typeof attempts)[0], (typeof attempts)[0]];
        const silence = second.startTime - (first.lastHeartbeatTime ?? first.startTime);
        if (silence < SILENCE_SECONDS) problems.push(`${rolloutId}: retried after ${silence.toFixed(2)} s of silence`);
      }
      const stored = spansOf.get(rolloutId) ?? [];
      spans += stored.length;
      const sequenceIds = stored.map((s) => s.sequenceId);
      if (new Set(sequenceIds).size !== sequenceIds.length) problems.push(`${rolloutId}: duplicate sequence ids`);
      for (const a of attempts) {
        const mine = stored.filter((s) => s.attemptId === a.attemptId).map((s) => s.spanId);
        const acked = acknowledged.get(a.attemptId) ?? new Set();
        if (mine.length !== acked.size || !mine.every((id) => acked.has(id))) problems.push(`${rolloutId}: spans of ${a.attemptId} differ`);
      }
    };
    for (let start = 0; start < ids.length; start += 24) {
      await Promise.all(ids.slice(start, start + 24).map((id, j) => check(id, clients[j % 3]!)));
    }
    expect(problems.slice(0, 20)).toEqual([]);

    const totalAttempts = ids.reduce((sum, id) => sum + EXPECTED[kinds.get(id)!].attempts.length, 0);
    const silentAttempts = ids.filter((id) => kinds.get(id) === 'silent').length;
    const totalSpans = (totalAttempts - silentAttempts) * SPANS_PER_ATTEMPT;
    const stats = await call(clients[1]!, 'getStatistics');
    expect(stats).toMatchObject({ totalRollouts: ROLLOUTS, totalAttempts, totalSpans });
    expect(handedOut.size).toBe(totalAttempts);
    expect(spans).toBe(totalSpans);
    process.stdout.write(`scale-out: ${ROLLOUTS} rollouts, ${totalAttempts} attempts, ${spans} spans in ${seconds.toFixed(1)} s\n`);
  }, 900_000);
});
