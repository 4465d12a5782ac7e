import type { SpanOutcome } from '../../src/store/store';
import { describeEachBackend } from './harness';
import { addStored, attemptById, claimed, claimOne, expectCode, ownerOf, span, startOne } from './fixtures';

/** The kind of each outcome, with the error code for rejections. */
function kinds(outcomes: readonly SpanOutcome[]): string[] {
  return outcomes.map((o) => (o.kind === 'rejected' ? `rejected:${o.error.code}` : o.kind));
}

describeEachBackend('spans', (t) => {
  it('stores spans and returns them with their sequence ids', async () => {
    const c = await claimOne(t.store);
    const [a, b] = await addStored(t.store, [span(ownerOf(c), 'a', { name: 'first' }), span(ownerOf(c), 'b')]);
    expect(a).toEqual({ ...span(ownerOf(c), 'a', { name: 'first' }), sequenceId: 1 });
    expect(b).toEqual({ ...span(ownerOf(c), 'b'), sequenceId: 2 });
    const [d] = await addStored(t.store, [span(ownerOf(c), 'd', { sequenceId: 0 })]);
    expect(d?.sequenceId).toBe(0);
    const page = await t.store.querySpans({ rolloutId: c.rollout.rolloutId });
    expect(page.items).toEqual([d, a, b]);
    expect((await t.store.statistics()).totalSpans).toBe(3);
  });

  it('a stored span is a heartbeat: the attempt and the rollout become running', async () => {
    const c = await claimOne(t.store);
    t.clock.advance(3);
    await addStored(t.store, [span(ownerOf(c), 'a')]);
    expect(await t.store.getRollout(c.rollout.rolloutId)).toMatchObject({
      rollout: { status: 'running', endTime: null },
      attempt: { status: 'running', lastHeartbeatTime: t.clock.now(), endTime: null },
    });
    t.clock.advance(4);
    await addStored(t.store, [span(ownerOf(c), 'b'), span(ownerOf(c), 'c')]);
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.lastHeartbeatTime).toBe(t.clock.now());
  });

  it('spans from an older attempt refresh that attempt only', async () => {
    const c = await startOne(t.store);
    const id = c.rollout.rolloutId;
    await t.store.startAttempt(id, null);
    t.clock.advance(2);
    await addStored(t.store, [span(ownerOf(c), 'a')]);
    expect(await attemptById(t.store, id, c.attempt.attemptId)).toMatchObject({ status: 'running', lastHeartbeatTime: t.clock.now() });
    expect(await t.store.getRollout(id)).toMatchObject({
      rollout: { status: 'preparing' },
      attempt: { status: 'preparing', sequenceId: 2 },
    });
  });

  it('skips a span whose (rollout, attempt, span_id) is already stored', async () => {
    const c = await startOne(t.store);
    const retry = await t.store.startAttempt(c.rollout.rolloutId, null);
    const other = ownerOf(claimed(retry));
    await addStored(t.store, [span(ownerOf(c), 'x', { name: 'original' })]);
    const outcomes = await t.store.addSpans(
      [span(ownerOf(c), 'x', { name: 'again' }), span(other, 'x'), span(ownerOf(c), 'y'), span(ownerOf(c), 'y')],
      { atomic: true },
    );
    expect(kinds(outcomes)).toEqual(['duplicate', 'stored', 'stored', 'duplicate']);
    const page = await t.store.querySpans({ rolloutId: c.rollout.rolloutId, attemptId: c.attempt.attemptId });
    expect(page.items.map((s) => [s.spanId, s.name])).toEqual([
      ['x', 'original'],
      ['y', 'agentlightning.virtual'],
    ]);
    expect((await t.store.statistics()).totalSpans).toBe(3);
  });

  it('a duplicate is not a heartbeat', async () => {
    const c = await startOne(t.store);
    await addStored(t.store, [span(ownerOf(c), 'x')]);
    const first = t.clock.now();
    t.clock.advance(5);
    expect(kinds(await t.store.addSpans([span(ownerOf(c), 'x')], { atomic: false }))).toEqual(['duplicate']);
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.lastHeartbeatTime).toBe(first);
  });

  it('atomic mode writes nothing when any span is bad', async () => {
    const c = await startOne(t.store);
    const good = span(ownerOf(c), 'good');
    await expectCode(t.store.addSpans([good, span(ownerOf(c), 'bad', { attributes: '{oops' })], { atomic: true }), 'INVALID_ARGUMENT');
    await expectCode(t.store.addSpans([good, span({ ...ownerOf(c), attemptId: 'at-unknown' }, 'z')], { atomic: true }), 'NOT_FOUND');
    await expectCode(t.store.addSpans([good, span({ ...ownerOf(c), rolloutId: 'ro-unknown' }, 'z')], { atomic: true }), 'NOT_FOUND');
    await expectCode(t.store.addSpans([good, span(ownerOf(c), 'neg', { sequenceId: -1 })], { atomic: true }), 'INVALID_ARGUMENT');
    expect((await t.store.querySpans({ rolloutId: c.rollout.rolloutId })).total).toBe(0);
    expect(await t.store.getRollout(c.rollout.rolloutId)).toMatchObject({
      rollout: { status: 'preparing' },
      attempt: { status: 'preparing', lastHeartbeatTime: null },
    });
    expect((await t.store.statistics()).totalSpans).toBe(0);
  });

  it('non-atomic mode reports an outcome per span and stores the good ones', async () => {
    const c = await startOne(t.store);
    const outcomes = await t.store.addSpans(
      [
        span(ownerOf(c), 'a'),
        span(ownerOf(c), 'bad-json', { attributes: '[1,2]' }),
        span({ ...ownerOf(c), attemptId: 'at-unknown' }, 'b'),
        span({ rolloutId: 'ro-unknown', attemptId: 'at-unknown' }, 'c'),
        span(ownerOf(c), 'a'),
        span(ownerOf(c), 'd'),
      ],
      { atomic: false },
    );
    expect(kinds(outcomes)).toEqual([
      'stored',
      'rejected:INVALID_ARGUMENT',
      'rejected:NOT_FOUND',
      'rejected:NOT_FOUND',
      'duplicate',
      'stored',
    ]);
    const page = await t.store.querySpans({ rolloutId: c.rollout.rolloutId });
    expect(page.items.map((s) => s.spanId)).toEqual(['a', 'd']);
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.status).toBe('running');
  });

  it.each([
    ['attributes', { attributes: '{"a":' }],
    ['attributes that are not an object', { attributes: '"text"' }],
    ['extra that is not an object', { extra: '[]' }],
    ['resource attributes', { resource: { attributes: 'nope', schemaUrl: '' } }],
    ['status extra', { status: { statusCode: 'OK', description: null, extra: '{' } }],
    ['event attributes', { events: [{ name: 'e', attributes: '{"x"}', timestamp: null, extra: '{}' }] }],
    ['an empty span id', { spanId: '' }],
    ['a fractional sequence id', { sequenceId: 1.5 }],
    ['an infinite start time', { startTime: Number.POSITIVE_INFINITY }],
  ] as const)('rejects invalid %s with INVALID_ARGUMENT', async (_what, overrides) => {
    const c = await startOne(t.store);
    await expectCode(t.store.addSpans([span(ownerOf(c), 's', overrides)], { atomic: true }), 'INVALID_ARGUMENT');
    expect((await t.store.querySpans({ rolloutId: c.rollout.rolloutId })).total).toBe(0);
  });

  it('round-trips JSON text byte for byte: 64-bit integers, unusual keys, extra fields', async () => {
    const c = await startOne(t.store);
    const attributes =
      '{"gen_ai.prompt.0.content":"héllo \\u00e9","$x":1,"a.b":{"c.d":[9007199254740993,-9223372036854775808]}, "n": 1.0e3}';
    const extra = '{"kind":"SpanKind.INTERNAL","instrumentation_scope":{"name":"x","$v":12345678901234567890}}';
    const context = { traceId: 't1', spanId: 's1', isRemote: false, traceState: { vendor: 'v=1' }, extra: '{"$ctx":1}' };
    const submitted = span(ownerOf(c), 's1', {
      attributes,
      extra,
      context,
      parent: { ...context, spanId: 'p1', isRemote: true, extra: '{}' },
      status: { statusCode: 'ERROR', description: 'boom', extra: '{"code.x":18446744073709551615}' },
      events: [{ name: 'ev', attributes: '{"k.0":"v"}', timestamp: 1.5, extra: '{"dropped":2}' }],
      links: [{ context: { ...context, spanId: 'l1' }, attributes: 'null', extra: '{"w":9007199254740993}' }],
      resource: { attributes: '{"service.name":"agent","agentlightning.rollout_id":"r"}', schemaUrl: 'https://schema' },
      startTime: 1700000000.123456,
      endTime: 1700000001.654321,
      sequenceId: 3,
    });
    const [stored] = await addStored(t.store, [submitted]);
    expect(stored).toEqual(submitted);
    const [read] = (await t.store.querySpans({ rolloutId: c.rollout.rolloutId })).items;
    expect(read).toEqual(submitted);
    expect(read?.attributes).toBe(attributes);
    expect(read?.extra).toBe(extra);
    expect(read?.links[0]?.extra).toBe('{"w":9007199254740993}');
  });
});
