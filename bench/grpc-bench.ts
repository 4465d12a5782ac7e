import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { credentials, Metadata } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { AttemptStatus } from '../gen/lightning/store/v1/records';
import type { IngestSpansResponse } from '../gen/lightning/store/v1/store_service';
import {
  DequeueRolloutRequest,
  EnqueueManyRolloutsRequest,
  IngestSpansRequest,
  LightningStoreServiceClient,
  UpdateAttemptRequest,
} from '../gen/lightning/store/v1/store_service';
import { spanToWire } from '../src/grpc/mapping/spans';
import { rolloutSpans } from './workload';

/**
 * End to end over gRPC: a real server process (the CLI) and runners in this process that dequeue, send
 * their spans on one IngestSpans stream and report success, like agent-lightning's scenario benchmark
 * but without agent sleep. Prints rollouts/s and the server's memory; asserts nothing.
 */

const ROLLOUTS = Number(process.env.BENCH_ROLLOUTS ?? 3000);
const RUNNERS = Number(process.env.BENCH_RUNNERS ?? 64);
const SPANS = Number(process.env.BENCH_SPANS ?? 14);

function unary<Req, Res>(fn: (req: Req, md: Metadata, cb: (err: ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((ok, fail) => fn(req, new Metadata(), (err, res) => (err ? fail(err) : ok(res))));
}

function ingest(client: LightningStoreServiceClient, request: IngestSpansRequest): Promise<IngestSpansResponse> {
  return new Promise((ok, fail) => {
    const stream = client.ingestSpans((err, res) => (err ? fail(err) : ok(res)));
    stream.write(request);
    stream.end();
  });
}

async function startServer(args: string[]): Promise<{ address: string; stop: () => Promise<number>; pid: number }> {
  const bin = resolve(__dirname, '..', '..', 'bin', 'lightning-store.js');
  const child = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', '0', '--http-port', '0', '--log-level', 'info', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const address = await new Promise<string>((ok, fail) => {
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as { msg?: string; address?: string };
      if (parsed.msg === 'Lightning Store listening' && parsed.address) ok(parsed.address);
    });
    child.once('exit', (code) => fail(new Error(`server exited with ${code}`)));
  });
  const exited = new Promise<number>((ok) => child.once('exit', (code) => ok(code ?? -1)));
  return { address, pid: child.pid!, stop: () => (child.kill('SIGTERM'), exited) };
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function measure(name: string, args: string[]): Promise<void> {
  const server = await startServer(args);
  try {
    await drive(name, server.address, server.pid);
  } finally {
    await server.stop();
  }
}

/** Drives runners against a server already listening at `address` (process `pid`) and prints figures. */
export async function drive(name: string, address: string, pid: number): Promise<void> {
  const client = new LightningStoreServiceClient(address, credentials.createInsecure());
  const enqueue = client.enqueueManyRollouts.bind(client) as never;
  for (let i = 0; i < ROLLOUTS; i += 500) {
    const rollouts = Array.from({ length: Math.min(500, ROLLOUTS - i) }, (_, j) => ({ inputJson: JSON.stringify(`task-${i + j}`) }));
    await unary(enqueue, EnqueueManyRolloutsRequest.fromPartial({ rollouts }) as never);
  }
  const dequeue = client.dequeueRollout.bind(client) as never;
  const update = client.updateAttempt.bind(client) as never;
  const runner = async (worker: string): Promise<number> => {
    let done = 0;
    for (;;) {
      const { rollout } = await unary<unknown, { rollout?: { attempt?: { rolloutId: string; attemptId: string } } }>(
        dequeue,
        DequeueRolloutRequest.fromPartial({ workerId: worker }),
      );
      if (!rollout?.attempt) return done;
      const { rolloutId, attemptId } = rollout.attempt;
      // The runner leaves sequence ids to the server, as exporters do.
      const spans = rolloutSpans(rolloutId, attemptId, SPANS).map((s) => ({ ...spanToWire({ ...s, sequenceId: 0 }), sequenceId: undefined }));
      await ingest(client, IngestSpansRequest.fromPartial({ spans }));
      await unary(update, UpdateAttemptRequest.fromPartial({ rolloutId, attemptId, status: AttemptStatus.ATTEMPT_STATUS_SUCCEEDED }));
      done += 1;
    }
  };
  const t0 = performance.now();
  const counts = await Promise.all(Array.from({ length: RUNNERS }, (_, i) => runner(`worker-${i}`)));
  const seconds = (performance.now() - t0) / 1000;
  const done = counts.reduce((a, b) => a + b, 0);
  const peak = rssMiB(pid);
  client.close();
  console.log(
    `[grpc] backend=${name} rollouts=${done} runners=${RUNNERS} spans_per_rollout=${SPANS} ` +
      `throughput=${(done / seconds).toFixed(0)} rollouts/s (${((done * SPANS) / seconds).toFixed(0)} spans/s) server_peak_rss=${peak.toFixed(0)} MiB`,
  );
}

/** Runs the end-to-end benchmark on memory and SQLite. */
export async function grpcBench(): Promise<void> {
  await measure('memory', ['--backend', 'memory']);
  const dir = mkdtempSync(join(tmpdir(), 'ls-grpc-bench-'));
  try {
    await measure('sqlite', ['--backend', 'sqlite', '--db', join(dir, 'bench.db')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
