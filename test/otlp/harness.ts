import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RolloutSpec, Span } from '../../src/domain/records';
import type { RunningServer } from '../../src/server';

/** The stock OTLP exporters the tests drive. */
export const EXPORTER_NAMES = ['grpc', 'http-json', 'http-protobuf'] as const;
/** Name of a stock exporter. */
export type ExporterName = (typeof EXPORTER_NAMES)[number];

/** One span for the agent process to record (see export-process.js). */
export interface SpanSpec {
  readonly name: string;
  readonly kind?: 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  readonly attributes?: Record<string, unknown>;
  /** Index of the parent span in the list. */
  readonly parent?: number;
  readonly events?: readonly { readonly name: string; readonly attributes?: Record<string, unknown> }[];
  readonly status?: { readonly code: 'OK' | 'ERROR'; readonly message?: string };
}

/** What the agent process reports. */
export interface ExportOutcome {
  /** One per export call; code 0 is SUCCESS. */
  readonly results: readonly { readonly code: number; readonly error: string | null }[];
  /** The partial_success answers the exporter reported. */
  readonly partialSuccess: readonly { readonly rejectedSpans?: number | string; readonly errorMessage?: string }[];
}

/** How the agent process exports. */
export interface ExportJob {
  readonly exporter: ExporterName;
  readonly resource: Record<string, unknown>;
  readonly spans: readonly SpanSpec[];
  readonly gzip?: boolean;
  /** batch: one export for all spans (the default); simple: one export per span. */
  readonly processor?: 'batch' | 'simple';
}

/** The URL an exporter is given for `server`. */
function urlFor(exporter: ExporterName, server: RunningServer): string {
  return exporter === 'grpc' ? `http://${server.address}` : `http://127.0.0.1:${server.httpPort}/v1/traces`;
}

/**
 * Runs an agent process that records `job.spans` with the OpenTelemetry SDK and exports them to
 * `server` through the stock exporter, with `env` added to its environment (e.g. OTEL_EXPORTER_OTLP_HEADERS);
 * resolves with what the exporter reported, rejects when the process fails.
 */
export function exportFromProcess(server: RunningServer, job: ExportJob, env: Record<string, string> = {}): Promise<ExportOutcome> {
  const script = path.join(__dirname, 'export-process.js');
  const child = spawn(process.execPath, [script], { cwd: path.resolve(__dirname, '..', '..'), stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(JSON.stringify({ ...job, url: urlFor(job.exporter, server) }));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as ExportOutcome);
      else reject(new Error(`export process exited with ${code}: ${stderr}`));
    });
  });
}

/** A rollout spec with defaults. */
export const SPEC: RolloutSpec = { input: '{}', mode: null, resourcesId: null, config: null, metadata: null };

/** Span attributes as a plain object. */
export function attributesOf(span: Span): Record<string, unknown> {
  return JSON.parse(span.attributes) as Record<string, unknown>;
}
