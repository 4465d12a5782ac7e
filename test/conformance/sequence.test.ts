import { describeEachBackend } from './harness';
import { addStored, claimed, expectCode, ownerOf, span, startOne } from './fixtures';

describeEachBackend('span sequence ids', (t) => {
  it('allocates per rollout from 1, across attempts', async () => {
    const c = await startOne(t.store);
    const id = c.rollout.rolloutId;
    const first = await t.store.nextSequenceIds([ownerOf(c)]);
    const retry = await t.store.startAttempt(id, null);
    const second = await t.store.nextSequenceIds([ownerOf(claimed(retry))]);
    const third = await t.store.nextSequenceIds([{ rolloutId: id, attemptId: 'at-whatever' }]);
    expect([first, second, third]).toEqual([[1], [2], [3]]);
  });

  it('keeps a separate counter for each rollout and answers in request order', async () => {
    const r1 = ownerOf(await startOne(t.store));
    const r2 = ownerOf(await startOne(t.store));
    expect(await t.store.nextSequenceIds([r1, r1, r1])).toEqual([1, 2, 3]);
    expect(await t.store.nextSequenceIds([r2])).toEqual([1]);
    expect(await t.store.nextSequenceIds([r1, r2, r1, r2, r2])).toEqual([4, 2, 5, 3, 4]);
    expect(await t.store.nextSequenceIds([])).toEqual([]);
  });

  it('a supplied id raises the counter; a lower one does not lower it', async () => {
    const c = ownerOf(await startOne(t.store));
    await addStored(t.store, [span(c, 'a', { sequenceId: 10 })]);
    expect(await t.store.nextSequenceIds([c])).toEqual([11]);
    await addStored(t.store, [span(c, 'b', { sequenceId: 4 }), span(c, 'c', { sequenceId: 0 })]);
    expect(await t.store.nextSequenceIds([c])).toEqual([12]);
    await addStored(t.store, [span(c, 'd', { sequenceId: 12 })]);
    expect(await t.store.nextSequenceIds([c])).toEqual([13]);
  });

  it('spans without an id get the next numbers of their rollout', async () => {
    const c = ownerOf(await startOne(t.store));
    expect(await t.store.nextSequenceIds([c, c])).toEqual([1, 2]);
    const stored = await addStored(t.store, [span(c, 'a'), span(c, 'b'), span(c, 'c')]);
    expect(stored.map((s) => s.sequenceId)).toEqual([3, 4, 5]);
    expect(await t.store.nextSequenceIds([c])).toEqual([6]);
  });

  it('after a batch mixing supplied and missing ids, allocations exceed every id in it', async () => {
    const c = ownerOf(await startOne(t.store));
    const stored = await addStored(t.store, [span(c, 'a'), span(c, 'b', { sequenceId: 20 }), span(c, 'c')]);
    const ids = stored.map((s) => s.sequenceId);
    expect(ids[1]).toBe(20);
    expect(new Set(ids).size).toBe(3);
    const [next] = await t.store.nextSequenceIds([c]);
    expect(next).toBeGreaterThan(Math.max(...ids));
  });

  it('allows several spans to share a sequence id', async () => {
    const c = ownerOf(await startOne(t.store));
    const stored = await addStored(t.store, [span(c, 'a', { sequenceId: 5 }), span(c, 'b', { sequenceId: 5 })]);
    expect(stored.map((s) => s.sequenceId)).toEqual([5, 5]);
    expect((await t.store.querySpans({ rolloutId: c.rolloutId })).total).toBe(2);
  });

  it('rejected spans do not move the counter', async () => {
    const c = ownerOf(await startOne(t.store));
    const unknownAttempt = { ...c, attemptId: 'at-unknown' };
    const badJson = span(c, 'bad', { attributes: '{' });
    await expectCode(t.store.addSpans([span(c, 'a', { sequenceId: 50 }), badJson], { atomic: true }), 'INVALID_ARGUMENT');
    await expectCode(t.store.addSpans([span(c, 'a', { sequenceId: 60 }), span(unknownAttempt, 'x')], { atomic: true }), 'NOT_FOUND');
    const outcomes = await t.store.addSpans(
      [span(unknownAttempt, 'y', { sequenceId: 70 }), span(c, 'bad', { sequenceId: 80, extra: 'null' })],
      { atomic: false },
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['rejected', 'rejected']);
    expect(await t.store.nextSequenceIds([c])).toEqual([1]);
  });

  it('duplicates do not move the counter', async () => {
    const c = ownerOf(await startOne(t.store));
    await addStored(t.store, [span(c, 'a', { sequenceId: 5 })]);
    const outcomes = await t.store.addSpans([span(c, 'a', { sequenceId: 90 }), span(c, 'a')], { atomic: true });
    expect(outcomes.map((o) => o.kind)).toEqual(['duplicate', 'duplicate']);
    expect(await t.store.nextSequenceIds([c])).toEqual([6]);
  });

  it('an unknown rollout is NOT_FOUND and allocates nothing for the others', async () => {
    const c = ownerOf(await startOne(t.store));
    await expectCode(t.store.nextSequenceIds([c, { rolloutId: 'ro-unknown', attemptId: 'at-x' }]), 'NOT_FOUND');
    expect(await t.store.nextSequenceIds([c])).toEqual([1]);
  });
});
