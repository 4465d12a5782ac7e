import { status } from '@grpc/grpc-js';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { DroppedSpan } from '../../src/index';
import { SpanRejectionError, StoreClient, StoreClientError, StoreSpanExporter } from '../../src/index';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { freePort } from '../support/free-port';
import { recordSpans } from './otel-spans';

/** The result `exporter` reports for `spans`. */
function exportOnce(exporter: StoreSpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

/** Finished spans named `names`, with `attributes` each, under a resource without ids. */
function spansNamed(names: readonly string[], attributes: Record<string, string> = {}): Promise<ReadableSpan[]> {
  return recordSpans({}, (tracer) => {
    for (const name of names) tracer.startSpan(name, { attributes }).end();
  });
}

describe('StoreSpanExporter results', () => {
  let t: TestServer;
  let client: StoreClient;
  let rid: string;
  let aid: string;
  beforeEach(async () => {
    t = await startTestServer();
    client = new StoreClient(t.server.address);
    const started = (await client.startRollout({ rollout: {} })).rollout!;
    rid = started.rollout!.rolloutId;
    aid = started.attempt!.attemptId;
  });
  afterEach(async () => {
    client.close();
    await t.stop();
  });

  it('skips spans without ids: SUCCESS, nothing sent, each one reported as MISSING_IDS', async () => {
    const dropped: DroppedSpan[] = [];
    const exporter = new StoreSpanExporter({ client, rolloutId: rid, onDropped: (d) => dropped.push(...d) });
    const spans = await spansNamed(['a', 'b']);
    expect(await exportOnce(exporter, spans)).toEqual({ code: ExportResultCode.SUCCESS });
    expect(dropped.map((d) => [d.span, d.code])).toEqual([
      [spans[0], 'MISSING_IDS'],
      [spans[1], 'MISSING_IDS'],
    ]);
    expect((await client.getStatistics()).totalSpans).toBe(0);
  });

  it('fails an export with rejected spans with a SpanRejectionError naming them; the other spans are stored', async () => {
    const dropped: DroppedSpan[] = [];
    const exporter = new StoreSpanExporter({ client, rolloutId: rid, attemptId: aid, onDropped: (d) => dropped.push(...d) });
    const good = await spansNamed(['ok-1', 'ok-2']);
    const [bad] = await spansNamed(['bad'], { 'agentlightning.attempt_id': 'at-missing' });
    const result = await exportOnce(exporter, [good[0]!, bad!, good[1]!]);
    expect(result.code).toBe(ExportResultCode.FAILED);
    const error = result.error as SpanRejectionError;
    expect(error).toBeInstanceOf(SpanRejectionError);
    expect(error).toMatchObject({ accepted: 2, duplicates: 0, rejectedCount: 1 });
    expect(error.rejected).toHaveLength(1);
    expect(error.rejected[0]).toMatchObject({ span: bad, code: 'NOT_FOUND' });
    expect(error.rejected[0]!.reason).toContain('at-missing');
    expect(error.message).toContain('rejected 1 span(s), e.g. NOT_FOUND');
    expect(dropped).toEqual(error.rejected);
    expect((await client.querySpans({ rolloutId: rid })).spans.map((s) => s.name)).toEqual(['ok-1', 'ok-2']);
  });

  it('streams a large export in many messages, and counts a resent export as success without storing twice', async () => {
    const exporter = new StoreSpanExporter({ client, rolloutId: rid, attemptId: aid, spansPerMessage: 7 });
    const spans = await spansNamed(Array.from({ length: 120 }, (_, i) => `step-${i}`));
    expect(await exportOnce(exporter, spans)).toEqual({ code: ExportResultCode.SUCCESS });
    expect(await exportOnce(exporter, spans)).toEqual({ code: ExportResultCode.SUCCESS });
    const stored = (await client.querySpans({ rolloutId: rid })).spans;
    expect(stored.map((s) => s.name)).toEqual(spans.map((s) => s.name));
    expect(new Set(stored.map((s) => s.sequenceId)).size).toBe(120);
  });

  it('fails the export with the StoreClientError when the call fails', async () => {
    const port = await freePort();
    const exporter = new StoreSpanExporter({ address: `127.0.0.1:${port}`, clientOptions: { retry: false }, rolloutId: rid, attemptId: aid });
    const result = await exportOnce(exporter, await spansNamed(['lost']));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toBeInstanceOf(StoreClientError);
    expect(result.error).toMatchObject({ code: status.UNAVAILABLE, rpc: 'ingestSpans' });
    await exporter.shutdown();
  });

  it('waits for exports in flight on forceFlush and shutdown, then refuses new ones; a given client stays open', async () => {
    const exporter = new StoreSpanExporter({ client, rolloutId: rid, attemptId: aid });
    const results: ExportResult[] = [];
    exporter.export(await spansNamed(['x', 'y']), (r) => results.push(r));
    await exporter.forceFlush();
    expect(results).toEqual([{ code: ExportResultCode.SUCCESS }]);
    exporter.export(await spansNamed(['z']), (r) => results.push(r));
    await exporter.shutdown();
    await exporter.shutdown();
    expect(results).toHaveLength(2);
    const late = await exportOnce(exporter, await spansNamed(['late']));
    expect(late.code).toBe(ExportResultCode.FAILED);
    expect(late.error?.message).toBe('StoreSpanExporter is shut down');
    expect((await client.querySpans({ rolloutId: rid })).spans.map((s) => s.name)).toEqual(['x', 'y', 'z']);
    expect(() => new StoreSpanExporter({})).toThrow('needs a client or an address');
  });
});
