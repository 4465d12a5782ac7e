import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Where to look for grpcurl. */
export interface GrpcurlSearch {
  /** The environment: GRPCURL (an explicit path) and PATH are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The repository root (its .tools/bin is where scripts/grpcurl.sh installs). */
  readonly root: string;
  /** The home directory (~/go/bin is where `go install` puts binaries by default). */
  readonly home: string;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The grpcurl binary to test with: $GRPCURL when set (taken as given), else .tools/bin/grpcurl, else
 * ~/go/bin/grpcurl, else the first grpcurl on PATH; undefined when there is none.
 */
export function findGrpcurl({ env, root, home }: GrpcurlSearch): string | undefined {
  if (env['GRPCURL']) return env['GRPCURL'];
  const onPath = (env['PATH'] ?? '').split(path.delimiter).filter((dir) => dir !== '');
  const candidates = [path.join(root, '.tools', 'bin'), path.join(home, 'go', 'bin'), ...onPath].map((dir) => path.join(dir, 'grpcurl'));
  return candidates.find(isExecutable);
}

/** How a grpcurl run ended. */
export interface GrpcurlRun {
  /** The exit code (grpcurl exits with 64 + the gRPC status code when the call fails). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `binary` with `args` (plaintext) to completion; never rejects for a non-zero exit. */
export function runGrpcurl(binary: string, args: readonly string[]): Promise<GrpcurlRun> {
  return new Promise((resolve, reject) => {
    execFile(binary, ['-plaintext', ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(new Error(`grpcurl did not finish: ${err.message}`));
      else resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
    });
  });
}
