import type { Attributes, Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * Real finished SDK spans: runs `record` with a tracer ("test-scope" 1.2.3) of a provider whose resource
 * has `resource` attributes (schema URL https://example.test/schema), and returns the spans it ended.
 */
export async function recordSpans(resource: Attributes, record: (tracer: Tracer) => void): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resource, { schemaUrl: 'https://example.test/schema' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  record(provider.getTracer('test-scope', '1.2.3'));
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}
