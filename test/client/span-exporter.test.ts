import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { DroppedSpan } from '../../src/index';
import { SpanRejectionError, StoreClient, StoreSpanExporter, wire } from '../../src/index';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';

const LINKED: SpanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true };

/** A registered NodeTracerProvider with `resource`, exporting through a BatchSpanProcessor. */
function tracerProvider(exporter: StoreSpanExporter, resource: Record<string, string>): NodeTracerProvider {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 20, maxExportBatchSize: 50 })],
  });
  provider.register();
  return provider;
}

describe('StoreSpanExporter behind a NodeTracerProvider and a BatchSpanProcessor', () => {
  let t: TestServer;
  let client: StoreClient;
  let provider: NodeTracerProvider | undefined;
  beforeEach(async () => {
    t = await startTestServer();
    client = new StoreClient(t.server.address);
  });
  afterEach(async () => {
    await provider?.shutdown();
    provider = undefined;
    trace.disable();
    context.disable();
    client.close();
    await t.stop();
  });

  it('stores finished spans under the resource ids with attributes, events, links, status and resource; they are heartbeats', async () => {
    const started = (await client.startRollout({ rollout: {} })).rollout!;
    const rid = started.rollout!.rolloutId;
    const aid = started.attempt!.attemptId;
    expect(started.attempt?.status).toBe(wire.AttemptStatus.ATTEMPT_STATUS_PREPARING);
    const exporter = new StoreSpanExporter({ client });
    provider = tracerProvider(exporter, { 'service.name': 'runner', 'agentlightning.rollout_id': rid, 'agentlightning.attempt_id': aid });

    const tracer = trace.getTracer('agent', '0.1.0');
    tracer.startActiveSpan('agent.run', (root) => {
      tracer.startActiveSpan('llm.call', { kind: SpanKind.CLIENT, attributes: { 'gen_ai.usage.prompt_tokens': 12, model: 'm' }, links: [{ context: LINKED, attributes: { why: 'retry' } }] }, (llm) => {
        llm.addEvent('first-token', { index: 0 });
        llm.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
        llm.end();
      });
      root.setStatus({ code: SpanStatusCode.OK });
      root.end();
    });
    await provider.forceFlush();

    const spans = (await client.querySpans({ rolloutId: rid })).spans;
    expect(spans.map((s) => s.name)).toEqual(['llm.call', 'agent.run']);
    const [llm, root] = spans as [wire.Span, wire.Span];
    expect(llm).toMatchObject({ rolloutId: rid, attemptId: aid, sequenceId: 1, traceId: root.traceId, parentId: root.spanId });
    expect(root).toMatchObject({ sequenceId: 2, parentId: undefined, status: { statusCode: wire.StatusCode.STATUS_CODE_OK } });
    expect(JSON.parse(llm.attributesJson)).toEqual({ 'gen_ai.usage.prompt_tokens': 12, model: 'm' });
    expect(llm.status).toMatchObject({ statusCode: wire.StatusCode.STATUS_CODE_ERROR, description: 'rate limited' });
    expect(llm.events).toHaveLength(1);
    expect(llm.events[0]).toMatchObject({ name: 'first-token', attributesJson: '{"index":0}' });
    expect(llm.events[0]!.timestamp).toBeGreaterThanOrEqual(llm.startTime!);
    expect(llm.links).toHaveLength(1);
    expect(llm.links[0]).toMatchObject({ context: { traceId: LINKED.traceId, spanId: LINKED.spanId, isRemote: true }, attributesJson: '{"why":"retry"}' });
    expect(JSON.parse(llm.resource!.attributesJson)).toMatchObject({ 'service.name': 'runner', 'agentlightning.attempt_id': aid });
    expect(JSON.parse(llm.extraJson)).toEqual({ kind: 'CLIENT', instrumentation_scope: { name: 'agent', version: '0.1.0', schema_url: null } });
    expect(llm.endTime! - llm.startTime!).toBeGreaterThanOrEqual(0);

    const attempt = (await client.getLatestAttempt({ rolloutId: rid })).attempt!;
    expect(attempt.status).toBe(wire.AttemptStatus.ATTEMPT_STATUS_RUNNING);
    expect(attempt.lastHeartbeatTime).toBeGreaterThanOrEqual(started.attempt!.startTime);
    expect((await client.getRollout({ rolloutId: rid })).rollout?.rollout?.status).toBe(wire.RolloutStatus.ROLLOUT_STATUS_RUNNING);
  });

  it('lets span attributes override the resource, falls back to the options, and reports spans the server rejects', async () => {
    const first = (await client.startRollout({ rollout: {} })).rollout!;
    const rid = first.rollout!.rolloutId;
    const aid1 = first.attempt!.attemptId;
    const aid2 = (await client.startAttempt({ rolloutId: rid })).rollout!.attempt!.attemptId;
    const dropped: DroppedSpan[] = [];
    const exporter = new StoreSpanExporter({ client, attemptId: aid1, onDropped: (d) => dropped.push(...d) });
    provider = tracerProvider(exporter, { 'agentlightning.rollout_id': rid, 'agentlightning.attempt_id': '' });

    const tracer = trace.getTracer('agent');
    tracer.startSpan('in-attempt-2', { attributes: { 'agentlightning.attempt_id': aid2, 'agentlightning.span_sequence_id': 42 } }).end();
    tracer.startSpan('in-attempt-1').end();
    tracer.startSpan('nowhere', { attributes: { 'agentlightning.rollout_id': 'ro-other', 'agentlightning.attempt_id': 'at-other' } }).end();
    // The FAILED export reaches the application: the provider's forceFlush rejects with the exporter's error.
    await expect(provider.forceFlush()).rejects.toEqual([expect.any(SpanRejectionError)]);

    const spans = (await client.querySpans({ rolloutId: rid })).spans;
    expect(spans.map((s) => [s.name, s.attemptId, s.sequenceId])).toEqual([
      ['in-attempt-2', aid2, 42],
      ['in-attempt-1', aid1, 43],
    ]);
    // A span naming a rollout the store does not have is rejected by the server and reported.
    expect(dropped.map((d) => [d.span.name, d.code])).toEqual([['nowhere', 'NOT_FOUND']]);
  });
});
