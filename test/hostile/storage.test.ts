import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { aglSpan } from '../http/agl-support';
import { call } from '../support/client';
import { healthClient } from '../support/grpc-clients';
import { ServerProcesses } from '../support/server-processes';
import { skipSuite } from '../support/skip';
import { wireSpan } from '../support/spans';
import { httpCall, OpenStream, startHostile, until } from './support';

/**
 * A full disk under a running SQLite server, on a small tmpfs of its own: writes fail with a clear
 * RESOURCE_EXHAUSTED (507 over HTTP), health reports NOT_SERVING, nothing stored is damaged, and once
 * there is room again writes go through and health is SERVING, without a restart. Mounting needs root
 * (CI runs as root); elsewhere the suite is skipped with the reason.
 */
const mountPoint = mkdtempSync(path.join(tmpdir(), 'ls-hostile-disk-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint], { encoding: 'utf8' });
const processes = new ServerProcesses();

afterAll(async () => {
  await processes.stopAll('SIGKILL');
  if (mounted.status === 0) spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/** Fills the file system with one file until it is full; returns its path. */
function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return filler;
}

describe('a full disk under SQLite', () => {
  if (mounted.status !== 0) return skipSuite(`cannot mount a tmpfs for the full-disk test (needs root): ${mounted.stderr.trim()}`);

  it('refuses writes clearly, reports NOT_SERVING, damages nothing, and recovers by itself', async () => {
    const server = await startHostile(processes, ['--db', path.join(mountPoint, 'store.db')]);
    const health = healthClient(server.address);
    try {
      const started = (await call(server.client, 'startRollout', { rollout: {} })).rollout!;
      const { rolloutId, attemptId } = started.attempt!;
      const stream = new OpenStream(server.client);
      await stream.send(Array.from({ length: 100 }, () => wireSpan(rolloutId, attemptId)));
      stream.end();
      expect((await stream.answer).accepted).toBe(100);
      const before = (await call(server.client, 'querySpans', { rolloutId })).spans;

      const filler = fillDisk(mountPoint);
      const attributesJson = JSON.stringify({ pad: 'p'.repeat(64 * 1024) });
      const err = (await call(server.client, 'addSpan', { span: wireSpan(rolloutId, attemptId, { attributesJson }) }).catch((e: unknown) => e)) as ServiceError;
      expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(err.details).toMatch(/storage full/);
      const restSpan = aglSpan(rolloutId, attemptId, 'rest-span', { attributes: { pad: 'p'.repeat(64 * 1024) } });
      const rest = await httpCall(server, 'POST', '/v1/agl/spans', JSON.stringify(restSpan), { 'content-type': 'application/json' });
      expect(rest.status).toBe(507);
      expect(JSON.parse(rest.body)).toEqual({ detail: expect.stringMatching(/storage full/) as string });
      expect(await until(async () => (await health.check('')) === 'NOT_SERVING', 5000, 100)).toBeGreaterThanOrEqual(0);
      expect((await httpCall(server, 'GET', '/v1/agl/health')).status).toBe(503);
      // Reads still answer, and what was stored is intact.
      expect((await call(server.client, 'querySpans', { rolloutId })).spans).toEqual(before);

      unlinkSync(filler);
      expect(await until(async () => (await health.check('')) === 'SERVING', 5000, 100)).toBeGreaterThanOrEqual(0);
      await call(server.client, 'addSpan', { span: wireSpan(rolloutId, attemptId, { attributesJson }) });
      const after = (await call(server.client, 'querySpans', { rolloutId })).spans;
      expect(after.slice(0, 100)).toEqual(before);
      expect(after).toHaveLength(101);
    } finally {
      health.close();
    }
  }, 60_000);
});
