import type { AglServer } from './agl-support';
import { aglSpan, obj, startAglServer } from './agl-support';

describe('agent-lightning REST: spans', () => {
  let s: AglServer;
  let rid: string;
  let aid: string;
  beforeEach(async () => {
    s = await startAglServer();
    const started = obj((await s.call('POST', '/v1/agl/rollouts', { input: 'task', worker_id: 'W' })).json);
    rid = started['rollout_id'] as string;
    aid = obj(started['attempt'])['attempt_id'] as string;
  });
  afterEach(async () => {
    await s.stop();
  });

  it('stores a span with 201 and answers it with every key; a duplicate answers null', async () => {
    const span = aglSpan(rid, aid, '00f067aa0ba902b7', {
      events: [{ name: 'exception', attributes: { 'exception.type': 'ValueError' }, timestamp: 1735000001.9 }],
      links: [{ context: { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16), is_remote: true, trace_state: { k: 'v' } }, attributes: null }],
    });
    const added = await s.call('POST', '/v1/agl/spans', span);
    expect(added.status).toBe(201);
    expect(added.json).toEqual(span);
    expect(Object.keys(obj(added.json))).toEqual(Object.keys(span));
    const again = await s.call('POST', '/v1/agl/spans', span);
    expect(again).toMatchObject({ status: 201, json: null, text: 'null' });
  });

  it('round-trips unknown keys of the span and its parts, and attribute values verbatim', async () => {
    const span = aglSpan(rid, aid, 'span-extra', {
      kind: 'SpanKind.INTERNAL',
      instrumentation_scope: { name: 'tracer', version: '1.0' },
      status: { status_code: 'ERROR', description: 'boom', extra_status: 1 },
      context: { trace_id: 't', span_id: 'span-extra', is_remote: false, trace_state: {}, flags: 1 },
    });
    const body = JSON.stringify(span).replace('"gpt-4o"', '"gpt-4o","n":18446744073709551615');
    const added = await s.call('POST', '/v1/agl/spans', body);
    expect(added.status).toBe(201);
    expect(added.text).toContain('"n":18446744073709551615');
    expect(added.json).toMatchObject({ kind: 'SpanKind.INTERNAL', instrumentation_scope: { name: 'tracer', version: '1.0' } });
    expect(obj(added.json)['status']).toEqual({ status_code: 'ERROR', description: 'boom', extra_status: 1 });
    expect(obj(obj(added.json)['context'])['flags']).toBe(1);
    const listed = await s.call('POST', '/v1/agl/spans/search', { rollout_id: rid });
    expect(obj(listed.json)['items']).toEqual([added.json]);
  });

  it('makes a span a heartbeat: the attempt and rollout become running', async () => {
    await s.call('POST', '/v1/agl/spans', aglSpan(rid, aid, 's1'));
    const rollout = obj((await s.call('GET', `/v1/agl/rollouts/${rid}`)).json);
    expect(rollout['status']).toBe('running');
    expect(obj(rollout['attempt'])).toMatchObject({ status: 'running', last_heartbeat_time: expect.any(Number) as number });
  });

  it('requires every declared span key (422) and checks types', async () => {
    const span = aglSpan(rid, aid, 's1');
    for (const key of ['parent_id', 'context', 'resource', 'events']) {
      const { [key]: _dropped, ...rest } = span;
      const res = await s.call('POST', '/v1/agl/spans', rest);
      expect(res.status).toBe(422);
      expect(obj(res.json)['detail']).toEqual(expect.stringContaining(key));
    }
    expect((await s.call('POST', '/v1/agl/spans', { ...span, status: { status_code: 'BAD' } })).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/spans', { ...span, attributes: [1] })).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/spans', { ...span, sequence_id: 1.5 })).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/spans', { ...span, sequence_id: -1 })).status).toBe(400);
  });

  it('answers 404 for a span of an unknown rollout or attempt', async () => {
    expect((await s.call('POST', '/v1/agl/spans', aglSpan('ro-missing', aid, 's1'))).status).toBe(404);
    expect((await s.call('POST', '/v1/agl/spans', aglSpan(rid, 'at-missing', 's1'))).status).toBe(404);
  });

  it('allocates sequence ids per rollout, above any id a span supplied; unknown rollout is 404', async () => {
    expect(await s.call('POST', '/v1/agl/spans/next', { rollout_id: rid, attempt_id: aid })).toMatchObject({ status: 200, json: { sequence_id: 1 } });
    await s.call('POST', '/v1/agl/spans', aglSpan(rid, aid, 's1', { sequence_id: 10 }));
    expect((await s.call('POST', '/v1/agl/spans/next', { rollout_id: rid, attempt_id: aid })).json).toEqual({ sequence_id: 11 });
    // sequence_id null: the server assigns the next number.
    const assigned = await s.call('POST', '/v1/agl/spans', aglSpan(rid, aid, 's2', { sequence_id: null }));
    expect(obj(assigned.json)['sequence_id']).toBe(12);
    expect((await s.call('POST', '/v1/agl/spans/next', { rollout_id: 'ro-missing', attempt_id: aid })).status).toBe(404);
    expect((await s.call('POST', '/v1/agl/spans/next', { rollout_id: rid })).status).toBe(422);
  });

  it('queries spans by GET and POST with filters, "latest", sorting and paging', async () => {
    for (const [id, seq, name] of [['a1', 3, 'llm'], ['a2', 1, 'tool'], ['a3', 2, 'llm.retry']] as const) {
      await s.call('POST', '/v1/agl/spans', aglSpan(rid, aid, id, { sequence_id: seq, name, parent_id: id === 'a1' ? null : 'a1' }));
    }
    const ids = (res: { json: unknown }) => (obj(res.json)['items'] as { span_id: string }[]).map((x) => x.span_id);
    const all = await s.call('POST', '/v1/agl/spans/search', { rollout_id: rid, attempt_id: 'latest', sort_by: 'sequence_id', sort_order: 'asc', limit: -1, offset: 0 });
    expect(ids(all)).toEqual(['a2', 'a3', 'a1']);
    expect(all.json).toMatchObject({ limit: -1, offset: 0, total: 3 });
    expect(ids(await s.call('GET', `/v1/agl/spans?rollout_id=${rid}&sort_order=desc`))).toEqual(['a1', 'a3', 'a2']);
    expect(ids(await s.call('GET', `/v1/agl/spans?rollout_id=${rid}&name_contains=llm`))).toEqual(['a3', 'a1']);
    expect(ids(await s.call('POST', '/v1/agl/spans/search', { rollout_id: rid, name: 'tool', parent_id: 'zzz', filter_logic: 'or' }))).toEqual(['a2']);
    expect(ids(await s.call('POST', '/v1/agl/spans/search', { rollout_id: rid, attempt_id: aid, parent_id: 'a1', sort_by: 'name' }))).toEqual(['a3', 'a2']);
    const page = await s.call('GET', `/v1/agl/spans?rollout_id=${rid}&limit=1&offset=2`);
    expect(page.json).toMatchObject({ limit: 1, offset: 2, total: 3 });
    expect(ids(page)).toEqual(['a1']);
    expect((await s.call('GET', '/v1/agl/spans')).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/spans/search', { rollout_id: rid, sort_by: 'attributes' })).status).toBe(400);
  });
});
