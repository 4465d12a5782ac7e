import type { Collection } from 'mongodb';
import { ObjectId } from 'mongodb';
import type { RolloutChange } from '../../domain/changes';
import type { Clock } from '../../domain/clock';
import { alreadyExists, notFound } from '../../domain/errors';
import type { RolloutAggregate, Span } from '../../domain/records';
import type { SequenceReservation } from '../../domain/sequence-rules';
import { numberNewSpans, reserveFromCounter } from '../../domain/sequence-rules';
import { spanKey } from '../../domain/span-rules';
import { isQueuingLike } from '../../domain/status';
import type { RolloutRule, SpanGroup, SpanGroupResult } from '../backend';
import type { QueueSlot, RolloutFields } from './documents';
import { parseDoc, rolloutFields, spanDoc } from './documents';
import type { CommitLog, Versioned } from './versioned';
import { DUPLICATE_KEY, isDuplicate } from './versioned';

/** How many queue heads a claim considers, so that concurrent claims spread instead of all racing for one. */
const CLAIM_CANDIDATES = 8;

interface Loaded {
  readonly state: Versioned<RolloutFields>;
  readonly agg: RolloutAggregate;
  readonly readAt: number;
}

/** A change to persist: the rule's outcome, with the rollout's span counter after it. */
interface Planned<R> {
  readonly change: RolloutChange<R>;
  readonly spanCounter: number;
}

/**
 * The rollout aggregates: each rollout and its attempts in one document, every change committed through
 * the commit log (see CommitLog), so a claim, a watchdog verdict or a span counter move takes effect
 * exactly once however many servers race for it.
 */
export class MongoRollouts {
  constructor(
    private readonly docs: Collection,
    private readonly spans: Collection,
    private readonly log: CommitLog<RolloutFields>,
    private readonly ns: string,
    private readonly clock: Clock,
  ) {}

  private slot(): QueueSlot {
    return { at: this.clock.now(), tie: new ObjectId() };
  }

  private parse(state: Versioned<RolloutFields>, readAt: number): Loaded {
    return { state, agg: parseDoc<RolloutAggregate>(state.fields), readAt };
  }

  async load(rolloutId: string): Promise<Loaded | null> {
    const readAt = performance.now();
    const state = await this.log.load(rolloutId);
    return state ? this.parse(state, readAt) : null;
  }

  /** Commits a planned change; false when another writer changed the rollout first. */
  private async commit<R>(loaded: Loaded, planned: Planned<R>): Promise<boolean> {
    const { change, spanCounter } = planned;
    const { fields } = loaded.state;
    if (change.next === null && spanCounter === fields.span_counter) return true;
    const next = change.next ?? loaded.agg;
    const wasQueued = fields.queue_at !== null && fields.queue_tie !== null;
    let slot: QueueSlot | null = null;
    if (isQueuingLike(next.rollout.status)) {
      slot = change.enqueue || !wasQueued ? this.slot() : { at: fields.queue_at!, tie: fields.queue_tie! };
    }
    return this.log.commit(loaded.agg.rollout.rolloutId, loaded.state, rolloutFields(next, slot, spanCounter), loaded.readAt);
  }

  /** Plans and commits against the current state until the commit succeeds. NOT_FOUND if missing. */
  async change<R>(rolloutId: string, plan: (loaded: Loaded) => Planned<R>): Promise<RolloutChange<R>> {
    for (;;) {
      const loaded = await this.load(rolloutId);
      if (!loaded) throw notFound(`Rollout ${rolloutId} not found`);
      const planned = plan(loaded);
      if (await this.commit(loaded, planned)) return planned.change;
    }
  }

  /** Applies a rule; the span counter stays. */
  applyRule<R>(rolloutId: string, rule: RolloutRule<R>): Promise<RolloutChange<R>> {
    return this.change(rolloutId, (l) => ({ change: rule(l.agg), spanCounter: l.state.fields.span_counter }));
  }

  /** Applies `rule` to the first queue head it can commit on; null when the queue is empty. */
  async claimNext<R>(rule: RolloutRule<R>): Promise<RolloutChange<R> | null> {
    for (;;) {
      const heads = await this.docs
        .find({ ns: this.ns, queue_at: { $gte: 0 } })
        .sort({ queue_at: 1, queue_tie: 1 })
        .limit(CLAIM_CANDIDATES)
        .toArray();
      if (heads.length === 0) return null;
      for (const head of heads) {
        const readAt = performance.now();
        const key = head['rollout_id'] as string;
        const loaded = this.parse(await this.log.rollForward(key, head), readAt);
        // Rolled forward past the queue: someone claimed or changed it; the next head may be free.
        if (!isQueuingLike(loaded.agg.rollout.status)) continue;
        const change = rule(loaded.agg);
        if (await this.commit(loaded, { change, spanCounter: loaded.state.fields.span_counter })) return change;
      }
    }
  }

  /** Inserts new rollouts at version 1; queued ones take queue slots in the given order. */
  async insert(aggs: readonly RolloutAggregate[]): Promise<void> {
    if (aggs.length === 0) return;
    const ids = aggs.map((a) => a.rollout.rolloutId);
    if (await this.docs.findOne({ ns: this.ns, rollout_id: { $in: ids } })) throw alreadyExists('Rollout id already exists');
    const docs = aggs.map((agg) => ({
      _id: new ObjectId(),
      ns: this.ns,
      rollout_id: agg.rollout.rolloutId,
      version: 1,
      ...rolloutFields(agg, isQueuingLike(agg.rollout.status) ? this.slot() : null, 0),
    }));
    try {
      await this.docs.insertMany(docs, { ordered: true });
    } catch (err) {
      if (isDuplicate(err)) throw alreadyExists('Rollout id already exists');
      throw err;
    }
  }

  /** Raises the span counter to at least raiseTo, then takes `count` numbers; returns the first. */
  async reserve(rolloutId: string, r: SequenceReservation): Promise<number> {
    let first = 0;
    await this.change(rolloutId, (l) => {
      const reserved = reserveFromCounter(l.state.fields.span_counter, r);
      first = reserved.first;
      return { change: { next: null, enqueue: false, workers: [], result: undefined }, spanCounter: reserved.counter };
    });
    return first;
  }

  /**
   * Stores one group of spans: numbers the new ones and applies the heartbeat in one commit on the
   * rollout, then inserts them. Returns the heartbeat's change for its worker updates.
   */
  async appendGroup(
    group: SpanGroup,
    heartbeat: (agg: RolloutAggregate, attemptId: string) => RolloutChange<void>,
  ): Promise<{ result: SpanGroupResult; change: RolloutChange<void> | null }> {
    const loaded = await this.load(group.rolloutId);
    if (!loaded) return { result: { kind: 'rollout-not-found' }, change: null };
    if (!loaded.agg.attempts.some((a) => a.attemptId === group.attemptId)) return { result: { kind: 'attempt-not-found' }, change: null };
    const existing = await this.spans
      .find(
        { ns: this.ns, rollout_id: group.rolloutId, attempt_id: group.attemptId, span_id: { $in: group.spans.map((s) => s.spanId) } },
        { projection: { span_id: 1 } },
      )
      .toArray();
    const stored = new Set(existing.map((d) => spanKey({ rolloutId: group.rolloutId, attemptId: group.attemptId, spanId: d['span_id'] as string })));
    let numbered: (Span | null)[] = [];
    const change = await this.change(group.rolloutId, (l) => {
      const out = numberNewSpans(group.spans, l.state.fields.span_counter, (key) => stored.has(key));
      numbered = out.spans;
      const anyNew = numbered.some((s) => s !== null);
      const beat = anyNew ? heartbeat(l.agg, group.attemptId) : { next: null, enqueue: false, workers: [], result: undefined };
      return { change: beat, spanCounter: out.counter };
    });
    return { result: { kind: 'stored', stored: await this.insertSpans(numbered) }, change };
  }

  /** Inserts the numbered spans; one a concurrent writer stored first counts as a duplicate (null). */
  private async insertSpans(numbered: readonly (Span | null)[]): Promise<(Span | null)[]> {
    const docs = numbered.flatMap((s, i) => (s === null ? [] : [{ index: i, doc: spanDoc(this.ns, s) }]));
    const inserted = new Set<number>(docs.map((d) => d.index));
    if (docs.length > 0) {
      try {
        await this.spans.insertMany(
          docs.map((d) => d.doc),
          { ordered: false },
        );
      } catch (err) {
        const writeErrors = (err as { writeErrors?: { index: number; code: number }[] }).writeErrors;
        if (!writeErrors || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
        for (const e of writeErrors) inserted.delete(docs[e.index]!.index);
      }
    }
    return numbered.map((s, i) => (s !== null && inserted.has(i) ? s : null));
  }
}
