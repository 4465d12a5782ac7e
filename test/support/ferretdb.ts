import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { ROOT } from './build';

/** The FerretDB binary scripts/ferretdb.sh builds. */
export const FERRETDB_BIN = path.join(ROOT, '.tools', 'ferretdb-v1.24.2');

/** The PostgreSQL database FerretDB stores into (scripts/ferretdb.sh starts a cluster and prints it), or undefined. */
export const FERRETDB_POSTGRESQL_URL = process.env['FERRETDB_POSTGRESQL_URL'] || undefined;

/** True when the FerretDB binary is built and a PostgreSQL URL is set, else how to provide them. */
export function ferretDbAvailable(): true | string {
  if (!existsSync(FERRETDB_BIN)) return `${FERRETDB_BIN} is missing (run: bash scripts/ferretdb.sh --build-only)`;
  if (!FERRETDB_POSTGRESQL_URL) return 'FERRETDB_POSTGRESQL_URL is not set (bash scripts/ferretdb.sh starts a PostgreSQL cluster and prints it)';
  return true;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A FerretDB process of our own (PostgreSQL handler), on a fixed port over a given PostgreSQL database,
 * that a test can kill and restart: the data lives in PostgreSQL and survives.
 */
export class FerretDbProcess {
  private child: ChildProcess | null = null;

  constructor(
    readonly port: number,
    private readonly postgresqlUrl: string,
  ) {}

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const child = spawn(
      FERRETDB_BIN,
      ['--handler=postgresql', `--postgresql-url=${this.postgresqlUrl}`, `--listen-addr=127.0.0.1:${this.port}`, '--debug-addr=-', '--telemetry=disable', '--log-level=warn'],
      { stdio: 'ignore' },
    );
    this.child = child;
    const deadline = Date.now() + 20_000;
    while (!(await portOpen(this.port))) {
      if (child.exitCode !== null) throw new Error(`FerretDB exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('FerretDB did not start within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stops the server (SIGKILL: every connection drops at once) and waits for the process to end. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const ended = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await ended;
  }
}
