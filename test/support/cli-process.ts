import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './build';

/** A running `bin/lightning-store.js` with its output collected. */
export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** JSON log lines from stdout, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first log line `match` accepts (rejects if the process exits first). */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal name) once the process ends. */
  readonly exited: Promise<number | string>;
}

/**
 * Spawns the CLI with `args` and `env` added to a clean environment. `wrapper` (e.g. a setpriv command
 * line) runs the CLI under another command.
 */
export function runCli(args: readonly string[], env: Record<string, string> = {}, wrapper: readonly string[] = []): CliProcess {
  const command = [...wrapper, process.execPath, path.join(ROOT, 'bin', 'lightning-store.js'), ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  const logs: Record<string, unknown>[] = [];
  let stdout = '';
  let stdoutRest = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const lines = (stdoutRest + chunk).split('\n');
    stdoutRest = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) => child.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    child,
    logs,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForLog: (match) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = logs.find(match);
          if (!found) return;
          listeners.delete(check);
          resolve(found);
        };
        listeners.add(check);
        check();
        void exited.then((code) => reject(new Error(`CLI exited (${code}) before the log line; stderr: ${stderr}`)));
      }),
  };
}
