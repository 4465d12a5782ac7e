import { create, createFileRegistry, fromBinary } from '@bufbuild/protobuf';
import type { FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { status } from '@grpc/grpc-js';
import { systemClock } from '../../src/domain/clock';
import { unavailable } from '../../src/domain/errors';
import { createStore } from '../../src/store/create-store';
import { healthClient, reflect } from '../support/grpc-clients';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { wrapStore } from '../support/store-wrapper';
import { sleep } from '../support/time';

const STORE_SERVICE = 'lightning.store.v1.LightningStoreService';
const TRACE_SERVICE = 'opentelemetry.proto.collector.trace.v1.TraceService';

/** A registry of `files` (in any order), built the strict way: dependencies first. */
function registryOf(files: FileDescriptorProto[]) {
  const ordered: FileDescriptorProto[] = [];
  const pending = [...files];
  while (pending.length > 0) {
    const next = pending.findIndex((f) => f.dependency.every((d) => ordered.some((o) => o.name === d)));
    if (next < 0) throw new Error(`unresolvable dependencies among ${pending.map((f) => f.name).join(', ')}`);
    ordered.push(...pending.splice(next, 1));
  }
  return createFileRegistry(create(FileDescriptorSetSchema, { file: ordered }));
}

/** The file descriptors reflection returns for `symbol`. */
async function filesFor(address: string, symbol: string): Promise<FileDescriptorProto[]> {
  const [response] = await reflect(address, [{ file_containing_symbol: symbol }]);
  return (response?.file_descriptor_response?.file_descriptor_proto ?? []).map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes));
}

describe('reflection', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('lists the store service and grpc.health.v1.Health', async () => {
    const [response] = await reflect(t.server.address, [{ list_services: '*' }]);
    const names = response?.list_services_response?.service.map((s) => s.name) ?? [];
    expect(names).toEqual(expect.arrayContaining([STORE_SERVICE, 'grpc.health.v1.Health']));
  });

  it('answers file_containing_symbol for the service with every file its descriptors depend on', async () => {
    const files = await filesFor(t.server.address, STORE_SERVICE);
    const service = files.flatMap((f) => f.service).find((s) => s.name === 'LightningStoreService');
    expect(service?.method.map((m) => m.name)).toEqual(expect.arrayContaining(['StartRollout', 'IngestSpans', 'WaitForRollouts', 'GetStatistics']));
    expect(service?.method).toHaveLength(28);
    expect(service?.method.find((m) => m.name === 'IngestSpans')?.clientStreaming).toBe(true);
    const names = new Set(files.map((f) => f.name));
    for (const file of files) for (const dep of file.dependency) expect(names).toContain(dep);
    const messages = new Set(files.flatMap((f) => f.messageType.map((m) => `.${f.package}.${m.name}`)));
    for (const method of service?.method ?? []) {
      expect(messages).toContain(method.inputType);
      expect(messages).toContain(method.outputType);
    }
  });

  it('serves descriptors a strict registry accepts, with map fields as maps (what grpcurl describe needs)', async () => {
    // createFileRegistry, like protobuf-go, rejects relative type names and misplaced map entries.
    const store = registryOf(await filesFor(t.server.address, STORE_SERVICE));
    expect(store.getMessage('lightning.store.v1.SpanContext')?.field['traceState']?.fieldKind).toBe('map');
    expect(store.getMessage('lightning.store.v1.ResourcesUpdate')?.field['resources']?.fieldKind).toBe('map');
    expect(store.getMessage('lightning.store.v1.SpanLink')?.field['context']?.fieldKind).toBe('message');
    const health = registryOf(await filesFor(t.server.address, 'grpc.health.v1.Health'));
    expect(health.getService('grpc.health.v1.Health')?.methods.map((m) => m.name)).toEqual(['Check', 'Watch', 'List']);
    expect(health.getMessage('grpc.health.v1.HealthListResponse')?.field['statuses']?.fieldKind).toBe('map');
  });

  it('serves the OTLP TraceService beside the store service, with descriptors a strict registry accepts', async () => {
    const [response] = await reflect(t.server.address, [{ list_services: '*' }]);
    expect(response?.list_services_response?.service.map((s) => s.name)).toContain(TRACE_SERVICE);
    const otlp = registryOf(await filesFor(t.server.address, TRACE_SERVICE));
    const exportMethod = otlp.getService(TRACE_SERVICE)?.methods.find((m) => m.name === 'Export');
    expect(exportMethod?.input.typeName).toBe('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
    expect(otlp.getMessage('opentelemetry.proto.common.v1.AnyValue')?.oneofs.map((o) => o.name)).toEqual(['value']);
  });

  it('reports an unknown symbol as NOT_FOUND in the response', async () => {
    const [response] = await reflect(t.server.address, [{ file_containing_symbol: 'no.such.Service' }]);
    expect(response?.error_response?.error_code).toBe(status.NOT_FOUND);
  });
});

describe('health', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.stop();
  });

  it('is SERVING for the server and the store service while the store answers pings', async () => {
    t = await startTestServer();
    const health = healthClient(t.server.address);
    try {
      expect(await health.check('')).toBe('SERVING');
      expect(await health.check(STORE_SERVICE)).toBe('SERVING');
    } finally {
      health.close();
    }
  });

  it('follows store.ping(): NOT_SERVING while it fails, SERVING again when it recovers', async () => {
    const inner = createStore({ backend: 'memory', clock: systemClock });
    let up = false;
    const store = wrapStore(inner, { ping: () => (up ? Promise.resolve() : Promise.reject(unavailable('backend down'))) });
    t = await startTestServer({ store, health: { intervalMs: 30 } });
    const health = healthClient(t.server.address);
    try {
      expect(await health.check('')).toBe('NOT_SERVING');
      expect(await health.check(STORE_SERVICE)).toBe('NOT_SERVING');
      up = true;
      let seen = 'NOT_SERVING';
      for (let i = 0; i < 100 && seen !== 'SERVING'; i++) {
        await sleep(20);
        seen = await health.check(STORE_SERVICE);
      }
      expect(seen).toBe('SERVING');
    } finally {
      health.close();
    }
  });
});
