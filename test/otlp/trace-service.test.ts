import { credentials, Metadata, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import type { ExportTraceServiceResponse } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import { ExportTraceServiceRequest, TraceServiceClient } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import { systemClock } from '../../src/domain/clock';
import { unavailable } from '../../src/domain/errors';
import { createStore } from '../../src/store/create-store';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { wrapStore } from '../support/store-wrapper';
import { SPEC } from './harness';

const pstr = (key: string, value: string) => ({ key, value: { value: { $case: 'stringValue' as const, value } } });

/** Calls TraceService/Export on `address` with the generated client. */
function exportTo(address: string, request: ExportTraceServiceRequest): Promise<ExportTraceServiceResponse> {
  const client = new TraceServiceClient(address, credentials.createInsecure());
  return new Promise<ExportTraceServiceResponse>((resolve, reject) => {
    client.export(request, new Metadata(), (err: ServiceError | null, response) => {
      if (err) reject(err);
      else resolve(response);
    });
  }).finally(() => client.close());
}

describe('opentelemetry.proto.collector.trace.v1.TraceService/Export', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.stop();
  });

  it('stores the spans it can and counts the others in partial_success', async () => {
    t = await startTestServer();
    const { rollout, attempt } = await t.server.store.startRollout(SPEC, null);
    const response = await exportTo(t.server.address, ExportTraceServiceRequest.fromPartial({
      resourceSpans: [
        {
          resource: { attributes: [pstr('agentlightning.rollout_id', rollout.rolloutId)] },
          scopeSpans: [
            {
              spans: [
                { spanId: Buffer.from('0000000000000001', 'hex'), name: 'kept', attributes: [pstr('agentlightning.attempt_id', attempt!.attemptId)] },
                { spanId: Buffer.from('0000000000000002', 'hex'), name: 'no attempt' },
              ],
            },
          ],
        },
      ],
    }));
    expect(response).toEqual({
      partialSuccess: {
        rejectedSpans: 1,
        errorMessage: '1 of 2 spans rejected: span has no agentlightning.attempt_id attribute (on the span or its resource) (1 span)',
      },
    });
    const spans = (await t.server.store.querySpans({ rolloutId: rollout.rolloutId })).items;
    expect(spans.map((s) => [s.name, s.sequenceId])).toEqual([['kept', 1]]);
  });

  it('answers an empty export without partial_success', async () => {
    t = await startTestServer();
    expect(await exportTo(t.server.address, ExportTraceServiceRequest.fromPartial({}))).toEqual({ partialSuccess: undefined });
  });

  it('answers UNAVAILABLE when the store is down, so that the exporter retries', async () => {
    const inner = createStore({ backend: 'memory', clock: systemClock });
    t = await startTestServer({ store: wrapStore(inner, { addSpans: () => Promise.reject(unavailable('backend down')) }) });
    const { rollout, attempt } = await inner.startRollout(SPEC, null);
    const request = ExportTraceServiceRequest.fromPartial({
      resourceSpans: [
        {
          resource: { attributes: [pstr('agentlightning.rollout_id', rollout.rolloutId), pstr('agentlightning.attempt_id', attempt!.attemptId)] },
          scopeSpans: [{ spans: [{ spanId: Buffer.from('0000000000000001', 'hex') }] }],
        },
      ],
    });
    await expect(exportTo(t.server.address, request)).rejects.toMatchObject({ code: status.UNAVAILABLE, details: 'backend down' });
  });
});
