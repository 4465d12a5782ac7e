import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findGrpcurl } from './grpcurl';

describe('findGrpcurl', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'find-grpcurl-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** An executable (or, with `mode` 0o644, a plain) file named grpcurl in `sub`; returns its path. */
  const place = (sub: string, mode = 0o755): string => {
    const file = path.join(dir, sub, 'grpcurl');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, mode);
    return file;
  };
  const search = (env: Record<string, string>) => findGrpcurl({ env, root: path.join(dir, 'repo'), home: path.join(dir, 'home') });

  it('prefers GRPCURL, then .tools/bin, then ~/go/bin, then PATH', () => {
    const onPath = place('path-bin');
    const PATH = [path.join(dir, 'empty'), path.join(dir, 'path-bin')].join(path.delimiter);
    expect(search({ PATH })).toBe(onPath);
    const inHome = place('home/go/bin');
    expect(search({ PATH })).toBe(inHome);
    const inTools = place('repo/.tools/bin');
    expect(search({ PATH })).toBe(inTools);
    expect(search({ PATH, GRPCURL: '/opt/grpcurl' })).toBe('/opt/grpcurl');
  });

  it('finds nothing when no candidate is an executable file', () => {
    place('repo/.tools/bin', 0o644);
    expect(search({ PATH: path.join(dir, 'nowhere') })).toBeUndefined();
    expect(search({})).toBeUndefined();
  });
});
