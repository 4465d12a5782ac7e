import { FakeClock } from '../../src/domain/clock';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import type { ExporterName, ExportJob, ExportOutcome } from './harness';
import { attributesOf, EXPORTER_NAMES, exportFromProcess, SPEC } from './harness';

const ROLLOUT = 'agentlightning.rollout_id';
const ATTEMPT = 'agentlightning.attempt_id';
const SEQUENCE = 'agentlightning.span_sequence_id';
const SUCCESS = 0;

/** partial_success as numbers and text (the JSON exporter passes int64 through as a string). */
function reported(outcome: ExportOutcome): { rejectedSpans: number; errorMessage: string }[] {
  return outcome.partialSuccess.map((p) => ({ rejectedSpans: Number(p.rejectedSpans ?? 0), errorMessage: p.errorMessage ?? '' }));
}

describe.each(EXPORTER_NAMES)('OTLP ingest through the stock %s exporter', (exporter: ExporterName) => {
  const clock = new FakeClock(1_700_000_000);
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer({ clock });
  });
  afterEach(async () => {
    await t.stop();
  });

  const send = (job: Omit<ExportJob, 'exporter'>) => exportFromProcess(t.server, { exporter, ...job });
  const started = async () => {
    const { rollout, attempt } = await t.server.store.startRollout(SPEC, null);
    return { rolloutId: rollout.rolloutId, attemptId: attempt!.attemptId };
  };
  const spansOf = async (rolloutId: string) => (await t.server.store.querySpans({ rolloutId })).items;

  it('stores spans under the resource ids, numbers them, and counts them as heartbeats', async () => {
    const { rolloutId, attemptId } = await started();
    clock.advance(10);
    const outcome = await send({
      resource: { [ROLLOUT]: rolloutId, [ATTEMPT]: attemptId, 'service.name': 'agent' },
      spans: [
        { name: 'root', kind: 'SERVER', attributes: { 'gen_ai.prompt': 'hi', tokens: 12, ok: true } },
        {
          name: 'child',
          parent: 0,
          attributes: { scores: [0.5, 1.5] },
          events: [{ name: 'thought', attributes: { step: 2 } }],
          status: { code: 'ERROR', message: 'tool failed' },
        },
      ],
    });
    expect(outcome).toEqual({ results: [{ code: SUCCESS, error: null }], partialSuccess: [] });

    const spans = await spansOf(rolloutId);
    expect(spans.map((s) => [s.name, s.sequenceId, s.attemptId])).toEqual([
      ['root', 1, attemptId],
      ['child', 2, attemptId],
    ]);
    const [root, child] = spans;
    expect(attributesOf(root!)).toEqual({ 'gen_ai.prompt': 'hi', tokens: 12, ok: true });
    expect(attributesOf(child!)).toEqual({ scores: [0.5, 1.5] });
    expect(child!.parentId).toBe(root!.spanId);
    expect(child!.traceId).toBe(root!.traceId);
    expect(root!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root!.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(root!.parentId).toBeNull();
    expect(root!.context).toEqual({ traceId: root!.traceId, spanId: root!.spanId, isRemote: false, traceState: {}, extra: '{}' });
    expect(root!.status.statusCode).toBe('UNSET');
    expect(child!.status).toMatchObject({ statusCode: 'ERROR', description: 'tool failed' });
    expect(child!.events.map((e) => [e.name, JSON.parse(e.attributes) as unknown])).toEqual([['thought', { step: 2 }]]);
    const now = Date.now() / 1000;
    for (const time of [child!.events[0]!.timestamp, root!.startTime, root!.endTime]) expect(Math.abs(time! - now)).toBeLessThan(60);
    expect(root!.endTime! >= root!.startTime!).toBe(true);
    expect(JSON.parse(root!.resource.attributes)).toMatchObject({ [ROLLOUT]: rolloutId, [ATTEMPT]: attemptId, 'service.name': 'agent' });
    expect(JSON.parse(root!.extra)).toEqual({
      kind: 'SERVER',
      instrumentation_scope: { name: 'otlp-test', version: '1.2.3', schema_url: null },
    });

    expect(await t.server.store.getLatestAttempt(rolloutId)).toMatchObject({ status: 'running', lastHeartbeatTime: 1_700_000_010 });
    expect((await t.server.store.getRollout(rolloutId)).rollout.status).toBe('running');

    // A later export (one request per span this time) moves the heartbeat again.
    clock.advance(5);
    await send({ resource: { [ROLLOUT]: rolloutId, [ATTEMPT]: attemptId }, spans: [{ name: 'later' }], processor: 'simple' });
    expect((await t.server.store.getLatestAttempt(rolloutId))?.lastHeartbeatTime).toBe(1_700_000_015);
    expect((await spansOf(rolloutId)).map((s) => [s.name, s.sequenceId])).toContainEqual(['later', 3]);
  });

  it('reports spans without ids or of unknown rollouts and attempts in partial_success and stores the rest', async () => {
    const { rolloutId, attemptId } = await started();
    const outcome = await send({
      resource: {},
      spans: [
        { name: 'kept', attributes: { [ROLLOUT]: rolloutId, [ATTEMPT]: attemptId } },
        { name: 'no ids' },
        { name: 'no attempt', attributes: { [ROLLOUT]: rolloutId } },
        { name: 'unknown rollout', attributes: { [ROLLOUT]: 'ro-nope', [ATTEMPT]: attemptId } },
        { name: 'unknown attempt', attributes: { [ROLLOUT]: rolloutId, [ATTEMPT]: 'at-nope' } },
      ],
    });
    expect(outcome.results).toEqual([{ code: SUCCESS, error: null }]);
    expect(reported(outcome)).toEqual([
      {
        rejectedSpans: 4,
        errorMessage:
          `4 of 5 spans rejected: span has no ${ROLLOUT} and no ${ATTEMPT} attribute (on the span or its resource) (1 span); ` +
          `span has no ${ATTEMPT} attribute (on the span or its resource) (1 span); ` +
          `Rollout ro-nope not found (1 span); Attempt at-nope not found for rollout ${rolloutId} (1 span)`,
      },
    ]);
    expect((await spansOf(rolloutId)).map((s) => s.name)).toEqual(['kept']);
  });

  it('lets a span attribute override the resource one, treats "" as missing, and keeps supplied sequence ids', async () => {
    const a = await started();
    const b = await started();
    const otherAttempt = (await t.server.store.startAttempt(a.rolloutId, null)).attempt!.attemptId;
    const first = await send({
      resource: { [ROLLOUT]: a.rolloutId, [ATTEMPT]: a.attemptId, [SEQUENCE]: 40 },
      spans: [
        { name: 'resource ids' },
        { name: 'own attempt', attributes: { [ATTEMPT]: otherAttempt, [SEQUENCE]: 7 } },
        { name: 'own rollout', attributes: { [ROLLOUT]: b.rolloutId, [ATTEMPT]: b.attemptId, [SEQUENCE]: '3' } },
        { name: 'empty falls back', attributes: { [ROLLOUT]: '', [ATTEMPT]: '' } },
      ],
    });
    expect(first.partialSuccess).toEqual([]);
    const second = await send({
      resource: { [ROLLOUT]: a.rolloutId, [ATTEMPT]: '' },
      spans: [{ name: 'tracing disabled' }, { name: 'no sequence id', attributes: { [ATTEMPT]: a.attemptId, [SEQUENCE]: -1 } }],
    });
    expect(reported(second)).toEqual([
      { rejectedSpans: 1, errorMessage: `1 of 2 spans rejected: span has no ${ATTEMPT} attribute (on the span or its resource) (1 span)` },
    ]);

    const spansA = await spansOf(a.rolloutId);
    expect(spansA.map((s) => [s.name, s.attemptId, s.sequenceId])).toEqual([
      ['own attempt', otherAttempt, 7],
      ['resource ids', a.attemptId, 40],
      ['empty falls back', a.attemptId, 40],
      ['no sequence id', a.attemptId, 41],
    ]);
    expect(attributesOf(spansA[0]!)).toMatchObject({ [ATTEMPT]: otherAttempt, [SEQUENCE]: 7 });
    expect((await spansOf(b.rolloutId)).map((s) => [s.name, s.attemptId, s.sequenceId])).toEqual([['own rollout', b.attemptId, 3]]);
  });

  it('takes gzip-compressed exports', async () => {
    const { rolloutId, attemptId } = await started();
    const spans = Array.from({ length: 50 }, (_, i) => ({ name: `step-${i}`, attributes: { i, text: 'x'.repeat(200) } }));
    const outcome = await send({ resource: { [ROLLOUT]: rolloutId, [ATTEMPT]: attemptId }, spans, gzip: true });
    expect(outcome).toEqual({ results: [{ code: SUCCESS, error: null }], partialSuccess: [] });
    const stored = await spansOf(rolloutId);
    expect(stored.map((s) => [s.name, s.sequenceId])).toEqual(spans.map((s, i) => [s.name, i + 1]));
    expect(attributesOf(stored[49]!)).toEqual({ i: 49, text: 'x'.repeat(200) });
  });
});

describe.each(EXPORTER_NAMES)('the stock %s exporter on a server with tokens', (exporter: ExporterName) => {
  const RUNNER = 'otel-runner-token-0123456789';
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ security: { tokens: `runner ${RUNNER}` } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('sends the token from OTEL_EXPORTER_OTLP_HEADERS, and fails the export without it', async () => {
    const { rollout, attempt } = await t.server.store.startRollout(SPEC, null);
    const job = { exporter, resource: { [ROLLOUT]: rollout.rolloutId, [ATTEMPT]: attempt!.attemptId }, spans: [{ name: 'step' }] };
    // The agent process fails when its export fails (the exporter's error on stderr).
    await expect(exportFromProcess(t.server, job)).rejects.toThrow(/Unauthorized|UNAUTHENTICATED|needs a token/);
    const sent = await exportFromProcess(t.server, job, { OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${RUNNER}` });
    expect(sent).toEqual({ results: [{ code: SUCCESS, error: null }], partialSuccess: [] });
    expect((await t.server.store.querySpans({ rolloutId: rollout.rolloutId })).items.map((s) => s.name)).toEqual(['step']);
  });
});
