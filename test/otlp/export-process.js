#!/usr/bin/env node
// An agent process for the OTLP ingest tests: records the spans described by a JSON job (read from
// stdin) with a NodeTracerProvider and exports them through one of the stock OTLP exporters, then prints
// the export results and the partial successes the exporter reported as JSON on stdout. It runs outside
// Jest because the HTTP exporters load node:http with a dynamic import(), which Jest's module VM refuses.
//
// Job: { exporter: "grpc" | "http-json" | "http-protobuf", url, gzip?, processor?: "batch" | "simple",
//        resource: {attributes}, spans: [{ name, kind?, attributes?, parent?: index, events?: [{name,
//        attributes?}], status?: {code: "OK" | "ERROR", message?} }] }
// Spans start in list order and end in list order.
'use strict';
const { context, diag, DiagLogLevel, SpanKind, SpanStatusCode, trace } = require('@opentelemetry/api');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BatchSpanProcessor, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');

const EXPORTERS = {
  grpc: () => require('@opentelemetry/exporter-trace-otlp-grpc').OTLPTraceExporter,
  'http-json': () => require('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter,
  'http-protobuf': () => require('@opentelemetry/exporter-trace-otlp-proto').OTLPTraceExporter,
};

async function readStdin() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text);
}

/** Passes spans to the real exporter and keeps each export's result. */
function recording(inner, results) {
  return {
    export(spans, done) {
      inner.export(spans, (result) => {
        results.push({ code: result.code, error: result.error ? String(result.error.message) : null });
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => (inner.forceFlush ? inner.forceFlush() : Promise.resolve()),
  };
}

async function main() {
  const job = await readStdin();
  const partialSuccess = [];
  const ignore = () => undefined;
  diag.setLogger(
    {
      // The exporters report a partial_success answer as this warning, with the message as JSON.
      warn: (message, ...args) => {
        if (message.startsWith('Received Partial Success response')) partialSuccess.push(JSON.parse(String(args[0])));
      },
      error: ignore,
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const Exporter = EXPORTERS[job.exporter]();
  const results = [];
  const exporter = recording(new Exporter({ url: job.url, compression: job.gzip ? 'gzip' : 'none' }), results);
  const processor = job.processor === 'simple' ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes(job.resource), spanProcessors: [processor] });
  const tracer = provider.getTracer('otlp-test', '1.2.3');

  const spans = [];
  for (const spec of job.spans) {
    const parent = spec.parent === undefined ? context.active() : trace.setSpan(context.active(), spans[spec.parent]);
    const span = tracer.startSpan(spec.name, { kind: SpanKind[spec.kind ?? 'INTERNAL'], attributes: spec.attributes ?? {} }, parent);
    for (const event of spec.events ?? []) span.addEvent(event.name, event.attributes ?? {});
    if (spec.status) span.setStatus({ code: SpanStatusCode[spec.status.code], message: spec.status.message });
    spans.push(span);
  }
  for (const span of spans) span.end();
  await provider.forceFlush();
  await provider.shutdown();
  process.stdout.write(JSON.stringify({ results, partialSuccess }));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err));
  process.exitCode = 1;
});
