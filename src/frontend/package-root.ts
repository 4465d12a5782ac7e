import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = 'lightning-store';
let cached: string | undefined;

function isPackageRoot(dir: string): boolean {
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/**
 * The directory of this package's package.json, found by walking up from this file; works from the
 * TypeScript sources (src/grpc) and from the build output (dist/src/grpc). Throws if there is none.
 */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (isPackageRoot(dir)) return (cached = dir);
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${__dirname}`);
  }
}

/** The package's version from package.json. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
