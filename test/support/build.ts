import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The repository root (test/support/../..). */
export const ROOT = path.resolve(__dirname, '..', '..');
const CLI_MAIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.binpb')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Compiles src/ and gen/ into dist/ (tsconfig.build.json) unless dist/ is newer than every source, so
 * the CLI tests run the code under test. Called once per run, from Jest's globalSetup (global-build.ts),
 * never from a suite: two suites building at once would write dist/ under each other. Throws when the compiled CLI is still missing afterwards;
 * type errors are left to `npm run typecheck`.
 */
export function ensureBuilt(): void {
  const sourcesChanged = Math.max(newestMtime(path.join(ROOT, 'src')), newestMtime(path.join(ROOT, 'gen')));
  if (existsSync(CLI_MAIN) && statSync(CLI_MAIN).mtimeMs >= sourcesChanged) return;
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (!existsSync(CLI_MAIN) || statSync(CLI_MAIN).mtimeMs < sourcesChanged) {
    throw new Error(`building dist/ failed:\n${result.stdout}${result.stderr}`);
  }
}
