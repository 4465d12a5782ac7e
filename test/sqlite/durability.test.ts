import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AttemptStatus, RolloutStatus, WorkerStatus } from '../../gen/lightning/store/v1/records';
import type { AttemptedRollout } from '../../gen/lightning/store/v1/records';
import type { LightningStoreServiceClient } from '../../gen/lightning/store/v1/store_service';
import { call, ingest } from '../support/client';
import { ServerProcesses } from '../support/server-processes';
import { wireSpan } from '../support/spans';

/**
 * A real server process on a SQLite file is killed with SIGKILL while span streams are in flight, then
 * restarted on the same file. Whatever was acknowledged must be there, once; the rest must be intact.
 */

let dir: string;
const servers = new ServerProcesses();
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ls-durability-'));
});
afterEach(async () => {
  await servers.stopAll('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const start = (dbPath: string) => servers.start(['--db', dbPath, '--watchdog-interval-ms', '100']);

async function allSpans(client: LightningStoreServiceClient, rolloutId: string) {
  return (await call(client, 'querySpans', { rolloutId })).spans;
}

it('keeps every acknowledged span exactly once, and statuses, queue order and the watchdog, across kill -9', async () => {
  const dbPath = path.join(dir, 'store.db');
  const first = await start(dbPath);
  const c = first.client;

  // Queued rollouts whose order must survive, and one held attempt that will go silent.
  const queued = (await call(c, 'enqueueManyRollouts', { rollouts: Array.from({ length: 10 }, (_, i) => ({ inputJson: `{"n": ${i}}` })) })).rollouts.map(
    (r) => r.rolloutId,
  );
  const silent = (await call(c, 'startRollout', { rollout: { inputJson: '"silent"', config: { unresponsiveSeconds: 2 } }, workerId: 'w-silent' })).rollout!;
  const targets: AttemptedRollout[] = [];
  for (let i = 0; i < 4; i++) targets.push((await call(c, 'startRollout', { rollout: { inputJson: `"streamed ${i}"` }, workerId: `w-${i}` })).rollout!);

  // Four senders stream batches of 50 spans (server-assigned sequence ids) until the server dies.
  const acknowledged = new Map<string, Set<string>>(targets.map((t) => [t.rollout!.rolloutId, new Set<string>()]));
  const sent = new Map<string, string[]>(targets.map((t) => [t.rollout!.rolloutId, []]));
  let ackedBatches = 0;
  const sender = async (target: AttemptedRollout): Promise<void> => {
    const rid = target.rollout!.rolloutId;
    const aid = target.attempt!.attemptId;
    for (;;) {
      const spans = Array.from({ length: 50 }, () => wireSpan(rid, aid));
      sent.get(rid)!.push(...spans.map((s) => s.spanId!));
      try {
        const answer = await ingest(c, [{ spans: spans.slice(0, 25) }, { spans: spans.slice(25) }]);
        expect(answer.accepted).toBe(50);
        for (const s of spans) acknowledged.get(rid)!.add(s.spanId!);
        ackedBatches += 1;
      } catch {
        return; // the server is gone
      }
    }
  };
  const senders = targets.map(sender);
  while (ackedBatches < 40) await new Promise((r) => setTimeout(r, 10));
  first.cli.child.kill('SIGKILL');
  expect(await first.cli.exited).toBe('SIGKILL');
  await Promise.all(senders);

  const second = await start(dbPath);
  const d = second.client;
  let totalAcked = 0;
  for (const t of targets) {
    const rid = t.rollout!.rolloutId;
    const stored = await allSpans(d, rid);
    const ids = stored.map((s) => s.spanId);
    expect(new Set(ids).size).toBe(ids.length); // no span twice
    for (const id of acknowledged.get(rid)!) expect(ids).toContain(id); // every acknowledged span present
    const seq = stored.map((s) => s.sequenceId);
    expect(new Set(seq).size).toBe(seq.length); // sequence ids unique per rollout
    totalAcked += acknowledged.get(rid)!.size;
    // Resending everything (as an exporter retrying would) adds only what was missing, never twice.
    const missing = sent.get(rid)!.filter((id) => !ids.includes(id));
    const resend = await ingest(d, [{ spans: sent.get(rid)!.map((spanId) => wireSpan(rid, t.attempt!.attemptId, { spanId })) }]);
    expect(resend.accepted).toBe(missing.length);
    expect(resend.duplicates).toBe(ids.length);
    expect((await allSpans(d, rid)).length).toBe(sent.get(rid)!.length);
    expect((await call(d, 'getRollout', { rolloutId: rid })).rollout).toMatchObject({
      rollout: { status: RolloutStatus.ROLLOUT_STATUS_RUNNING },
      attempt: { status: AttemptStatus.ATTEMPT_STATUS_RUNNING },
    });
  }
  expect(totalAcked).toBeGreaterThanOrEqual(40 * 50);

  // The watchdog resumes: the silent attempt goes unresponsive (no retries: the rollout fails).
  const deadline = Date.now() + 10_000;
  let state = (await call(d, 'getRollout', { rolloutId: silent.rollout!.rolloutId })).rollout!;
  while (state.rollout!.status !== RolloutStatus.ROLLOUT_STATUS_FAILED && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    state = (await call(d, 'getRollout', { rolloutId: silent.rollout!.rolloutId })).rollout!;
  }
  expect(state).toMatchObject({
    rollout: { status: RolloutStatus.ROLLOUT_STATUS_FAILED },
    attempt: { status: AttemptStatus.ATTEMPT_STATUS_UNRESPONSIVE, attemptId: silent.attempt!.attemptId },
  });
  expect((await call(d, 'getWorker', { workerId: 'w-silent' })).worker?.status).toBe(WorkerStatus.WORKER_STATUS_UNKNOWN);

  // The queue is intact and in order.
  const claimed = (await call(d, 'dequeueManyRollouts', { limit: 20, workerId: 'w-after' })).rollouts.map((r) => r.rollout!.rolloutId);
  expect(claimed).toEqual(queued);
}, 60_000);
