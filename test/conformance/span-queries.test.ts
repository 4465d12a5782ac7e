import type { SpanQuery } from '../../src/store/store';
import { describeEachBackend } from './harness';
import type { SpanOwner } from './fixtures';
import { addStored, claimed, enqueueOne, expectCode, ownerOf, span, startOne } from './fixtures';

describeEachBackend('query_spans', (t) => {
  /** A rollout with two attempts; attempt 1 holds spans a, b, c and attempt 2 holds d. */
  async function tree(): Promise<{ rolloutId: string; first: SpanOwner; second: SpanOwner }> {
    const c = await startOne(t.store);
    const retry = await t.store.startAttempt(c.rollout.rolloutId, null);
    const first = ownerOf(c);
    const second = ownerOf(claimed(retry));
    await addStored(t.store, [
      span(first, 'aaaa0001', { traceId: 'trace-one', name: 'agentlightning.operation', sequenceId: 1 }),
      span(first, 'bbbb0002', { traceId: 'trace-one', parentId: 'aaaa0001', name: 'openai.chat', sequenceId: 2 }),
      span(first, 'cccc0003', { traceId: 'trace-two', parentId: 'aaaa0001', name: 'agentlightning.reward', sequenceId: 3 }),
    ]);
    await addStored(t.store, [span(second, 'dddd0004', { traceId: 'trace-two', name: 'openai.chat', sequenceId: 4 })]);
    return { rolloutId: c.rollout.rolloutId, first, second };
  }

  async function spanIds(q: SpanQuery): Promise<string[]> {
    return (await t.store.querySpans(q)).items.map((s) => s.spanId);
  }

  it('returns the spans of every attempt, or of one attempt, or of the latest', async () => {
    const { rolloutId, first, second } = await tree();
    expect(await spanIds({ rolloutId })).toEqual(['aaaa0001', 'bbbb0002', 'cccc0003', 'dddd0004']);
    expect(await spanIds({ rolloutId, attemptId: first.attemptId })).toEqual(['aaaa0001', 'bbbb0002', 'cccc0003']);
    expect(await spanIds({ rolloutId, attemptId: second.attemptId })).toEqual(['dddd0004']);
    expect(await spanIds({ rolloutId, attemptId: 'latest' })).toEqual(['dddd0004']);
  });

  it('filters on exact and contained ids and names', async () => {
    const { rolloutId } = await tree();
    expect(await spanIds({ rolloutId, traceId: 'trace-one' })).toEqual(['aaaa0001', 'bbbb0002']);
    expect(await spanIds({ rolloutId, traceIdContains: 'two' })).toEqual(['cccc0003', 'dddd0004']);
    expect(await spanIds({ rolloutId, spanId: 'cccc0003' })).toEqual(['cccc0003']);
    expect(await spanIds({ rolloutId, spanIdContains: '000' })).toEqual(['aaaa0001', 'bbbb0002', 'cccc0003', 'dddd0004']);
    expect(await spanIds({ rolloutId, parentId: 'aaaa0001' })).toEqual(['bbbb0002', 'cccc0003']);
    expect(await spanIds({ rolloutId, parentIdContains: 'aaaa' })).toEqual(['bbbb0002', 'cccc0003']);
    expect(await spanIds({ rolloutId, name: 'openai.chat' })).toEqual(['bbbb0002', 'dddd0004']);
    expect(await spanIds({ rolloutId, nameContains: 'agentlightning.' })).toEqual(['aaaa0001', 'cccc0003']);
    expect(await spanIds({ rolloutId, nameContains: 'OpenAI' })).toEqual([]);
    expect(await spanIds({ rolloutId, name: 'openai' })).toEqual([]);
  });

  it('combines filters with and / or, always inside the rollout and attempt scope', async () => {
    const { rolloutId, first } = await tree();
    const other = await startOne(t.store);
    await addStored(t.store, [span(ownerOf(other), 'eeee0005', { traceId: 'trace-one', name: 'openai.chat' })]);
    expect(await spanIds({ rolloutId, traceId: 'trace-two', name: 'openai.chat' })).toEqual(['dddd0004']);
    expect(await spanIds({ rolloutId, traceId: 'trace-two', name: 'openai.chat', logic: 'or' })).toEqual([
      'bbbb0002',
      'cccc0003',
      'dddd0004',
    ]);
    expect(await spanIds({ rolloutId, attemptId: first.attemptId, traceId: 'trace-two', name: 'openai.chat', logic: 'or' })).toEqual([
      'bbbb0002',
      'cccc0003',
    ]);
    expect(await spanIds({ rolloutId, logic: 'or' })).toEqual(['aaaa0001', 'bbbb0002', 'cccc0003', 'dddd0004']);
    expect(await spanIds({ rolloutId: other.rollout.rolloutId, logic: 'or' })).toEqual(['eeee0005']);
  });

  it('pages spans with the total before paging', async () => {
    const { rolloutId } = await tree();
    const page = await t.store.querySpans({ rolloutId, page: { limit: 2, offset: 1 } });
    expect([page.items.map((s) => s.spanId), page.total, page.limit, page.offset]).toEqual([['bbbb0002', 'cccc0003'], 4, 2, 1]);
    const sorted = await t.store.querySpans({ rolloutId, sort: { field: 'sequence_id', order: 'desc' }, page: { limit: 1, offset: 0 } });
    expect([sorted.items.map((s) => s.spanId), sorted.total]).toEqual([['dddd0004'], 4]);
  });

  it("'latest' on a rollout without attempts is an empty page", async () => {
    const queued = await enqueueOne(t.store);
    const page = await t.store.querySpans({ rolloutId: queued.rolloutId, attemptId: 'latest' });
    expect([page.items, page.total]).toEqual([[], 0]);
    expect((await t.store.querySpans({ rolloutId: queued.rolloutId })).total).toBe(0);
    const window = { rolloutId: queued.rolloutId, attemptId: 'latest' };
    await expectCode(t.store.querySpans({ ...window, page: { limit: -1, offset: 0 } }), 'INVALID_ARGUMENT');
    await expectCode(t.store.querySpans({ ...window, sort: { field: 'attributes', order: 'asc' } }), 'INVALID_ARGUMENT');
  });

  it('an unknown rollout or explicit attempt is NOT_FOUND', async () => {
    const { rolloutId } = await tree();
    await expectCode(t.store.querySpans({ rolloutId: 'ro-unknown' }), 'NOT_FOUND');
    await expectCode(t.store.querySpans({ rolloutId: 'ro-unknown', attemptId: 'latest' }), 'NOT_FOUND');
    await expectCode(t.store.querySpans({ rolloutId, attemptId: 'at-unknown' }), 'NOT_FOUND');
  });
});
