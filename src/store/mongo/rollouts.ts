import type { Collection, Document } from 'mongodb';
import { ObjectId } from 'mongodb';
import type { RolloutChange } from '../../domain/changes';
import type { Clock } from '../../domain/clock';
import { rolloutExists, rolloutNotFound } from '../../domain/messages';
import type { RolloutAggregate, Span } from '../../domain/records';
import type { SequenceReservation } from '../../domain/sequence-rules';
import { numberNewSpans, reserveFromCounter } from '../../domain/sequence-rules';
import { spanKey } from '../../domain/span-rules';
import { queuePosition } from '../../domain/queue-rules';
import { isQueuingLike } from '../../domain/status';
import type { RolloutRule, SpanGroup, SpanGroupResult } from '../backend';
import type { MongoCapabilities } from './capabilities';
import type { QueueSlot, RolloutFields } from './documents';
import { parseDoc, rolloutDoc, rolloutFields, spanDoc, spanId } from './documents';
import type { VersionedRecords, Versioned } from './versioned';
import { DUPLICATE_KEY, isDuplicate } from './versioned';

/** How many queue heads are read at once. */
const CLAIM_CANDIDATES = 64;
/**
 * How long heads read are used before the queue is read again (seconds, on the injected clock). Rollouts
 * join the queue at its tail, so kept heads stay the oldest ones; the limit only bounds how long a server
 * works from an old list.
 */
const HEADS_TTL_SECONDS = 5;

interface Loaded {
  readonly state: Versioned<RolloutFields>;
  readonly agg: RolloutAggregate;
}

/** A change to persist: the rule's outcome, with the rollout's span counter after it. */
interface Planned<R> {
  readonly change: RolloutChange<R>;
  readonly spanCounter: number;
}

/**
 * The rollout aggregates: each rollout and its attempts in one document, every change committed through
 * a compare-and-set on its version (see VersionedRecords), so a claim, a watchdog verdict or a span counter move takes effect
 * exactly once however many servers race for it.
 */
export class MongoRollouts {
  private heads: Document[] = [];
  private headsReadAt = 0;

  constructor(
    private readonly docs: Collection,
    private readonly spans: Collection,
    private readonly spanKeys: Collection,
    private readonly log: VersionedRecords<RolloutFields>,
    private readonly ns: string,
    private readonly clock: Clock,
    private readonly capabilities: MongoCapabilities,
  ) {}

  private slot(): QueueSlot {
    return { at: this.clock.now(), tie: new ObjectId() };
  }

  private parse(state: Versioned<RolloutFields>): Loaded {
    return { state, agg: parseDoc<RolloutAggregate>(state.fields) };
  }

  async load(rolloutId: string): Promise<Loaded | null> {
    const state = await this.log.load(rolloutId);
    return state ? this.parse(state) : null;
  }

  /** Commits a planned change; false when another writer changed the rollout first. */
  private async commit<R>(loaded: Loaded, planned: Planned<R>): Promise<boolean> {
    const { change, spanCounter } = planned;
    const { fields } = loaded.state;
    if (change.next === null && spanCounter === fields.span_counter) return true;
    const next = change.next ?? loaded.agg;
    const current = fields.queue_at !== null && fields.queue_tie !== null ? { at: fields.queue_at, tie: fields.queue_tie } : null;
    const slot = queuePosition<QueueSlot>(next.rollout.status, change.enqueue, current, () => this.slot());
    return this.log.commit(loaded.agg.rollout.rolloutId, loaded.state, rolloutFields(next, slot, spanCounter));
  }

  /**
   * Plans and commits against the current state until the commit succeeds; `first`, a state the caller
   * has just read, saves the first load. NOT_FOUND if missing.
   */
  async change<R>(rolloutId: string, plan: (loaded: Loaded) => Planned<R>, first: Loaded | null = null): Promise<RolloutChange<R>> {
    for (let known = first; ; known = null) {
      const loaded = known ?? (await this.load(rolloutId));
      if (!loaded) throw rolloutNotFound(rolloutId);
      const planned = plan(loaded);
      if (await this.commit(loaded, planned)) return planned.change;
    }
  }

  /** Applies a rule; the span counter stays. */
  applyRule<R>(rolloutId: string, rule: RolloutRule<R>): Promise<RolloutChange<R>> {
    return this.change(rolloutId, (l) => ({ change: rule(l.agg), spanCounter: l.state.fields.span_counter }));
  }

  /**
   * Applies `rule` to the first queue head it can commit on; null when the queue is empty. Heads are read
   * in batches and kept briefly, so that a burst of claims does not read the queue once per claim; a kept
   * head that moved on meanwhile is re-read by its id before it is given up.
   */
  async claimNext<R>(rule: RolloutRule<R>): Promise<RolloutChange<R> | null> {
    for (let fresh = false; ; fresh = true) {
      if (fresh || this.heads.length === 0 || this.clock.now() - this.headsReadAt > HEADS_TTL_SECONDS) await this.readHeads();
      if (this.heads.length === 0) return null;
      while (this.heads.length > 0) {
        const outcome = await this.tryClaim(this.heads.shift()!, rule);
        if (outcome !== 'busy' && outcome !== 'gone') return outcome;
        if (outcome === 'busy') {
          // Another server was claiming that head at the same moment: it is likely working down the same
          // list, so continue further down (the skipped heads are tried last) instead of trailing it.
          const skip = Math.floor(Math.random() * (this.heads.length / 2));
          this.heads.push(...this.heads.splice(0, skip));
        }
      }
    }
  }

  /**
   * Tries one kept head: as read, then once more as it is now if it changed but is still queued. When
   * another server is claiming it at the same moment, moves on rather than waiting: the queue has more.
   */
  private async tryClaim<R>(head: Document, rule: RolloutRule<R>): Promise<RolloutChange<R> | 'busy' | 'gone'> {
    let loaded: Loaded | null = this.parse(this.log.state(head));
    for (let tries = 0; tries < 2 && loaded && isQueuingLike(loaded.agg.rollout.status); tries++) {
      const change = rule(loaded.agg);
      if (await this.commit(loaded, { change, spanCounter: loaded.state.fields.span_counter })) return change;
      const read: Loaded | null = await this.load(loaded.agg.rollout.rolloutId);
      // Unchanged although the commit failed: another writer holds the step right now.
      if (read && read.state.version === loaded.state.version) return 'busy';
      loaded = read;
    }
    return 'gone';
  }

  private async readHeads(): Promise<void> {
    this.heads = await this.docs.find({ ns: this.ns, queue_at: { $gte: 0 } }).sort({ queue_at: 1, queue_tie: 1 }).limit(CLAIM_CANDIDATES).toArray();
    this.headsReadAt = this.clock.now();
  }

  /**
   * Inserts new rollouts at version 1; queued ones take queue slots in the given order. On an id clash
   * nothing stays: the insert is ordered, so exactly the documents before the refused one were written,
   * and those are taken back before ALREADY_EXISTS is raised.
   */
  async insert(aggs: readonly RolloutAggregate[]): Promise<void> {
    if (aggs.length === 0) return;
    const docs = aggs.map((agg) => rolloutDoc(this.ns, agg, queuePosition<QueueSlot>(agg.rollout.status, false, null, () => this.slot())));
    try {
      await this.docs.insertMany(docs, { ordered: true });
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      const failedAt = writeErrorsOf(err)[0]?.index ?? 0;
      const written = docs.slice(0, failedAt).map((d) => d['_id']);
      if (written.length > 0) await this.docs.deleteMany({ _id: { $in: written } } as Document);
      throw rolloutExists(aggs[failedAt]?.rollout.rolloutId ?? '');
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
    const stored = await this.storedKeys([...new Set(group.spans.map((s) => spanKey(s)))]);
    let numbered: (Span | null)[] = [];
    const change = await this.change(
      group.rolloutId,
      (l) => {
        const out = numberNewSpans(group.spans, l.state.fields.span_counter, (key) => stored.has(key));
        numbered = out.spans;
        const anyNew = numbered.some((s) => s !== null);
        const beat = anyNew ? heartbeat(l.agg, group.attemptId) : { next: null, enqueue: false, workers: [], result: undefined };
        return { change: beat, spanCounter: out.counter };
      },
      loaded,
    );
    return { result: { kind: 'stored', stored: await this.insertSpans(numbered) }, change };
  }

  /**
   * The keys among `keys` already stored. One `$in` on the spans' `_id`; with idEqualityOnly, point reads
   * in span_keys, a collection of bare keys (such a server decodes every document it looks at, and span
   * documents are large).
   */
  private async storedKeys(keys: readonly string[]): Promise<Set<string>> {
    const ids = keys.map((key) => spanId(this.ns, key));
    if (!this.capabilities.idEqualityOnly) {
      const found = await this.spans.find({ _id: { $in: ids } } as Document, { projection: { _id: 1 } }).toArray();
      const present = new Set(found.map((d) => String(d['_id'])));
      return new Set(keys.filter((_, i) => present.has(ids[i]!)));
    }
    const found = await Promise.all(ids.map((id) => this.spanKeys.findOne({ _id: id } as Document)));
    return new Set(keys.filter((_, i) => found[i] !== null));
  }

  /**
   * Inserts the numbered spans; one a concurrent writer stored first counts as a duplicate (null). The
   * span documents' unique _id decides. With idEqualityOnly their keys are added to span_keys after, so a
   * key there always names a stored span (a key missing after a crash only costs the next sender a
   * refused insert).
   */
  private async insertSpans(numbered: readonly (Span | null)[]): Promise<(Span | null)[]> {
    const docs = numbered.flatMap((s, i) => (s === null ? [] : [{ index: i, doc: spanDoc(this.ns, spanKey(s), s) }]));
    const inserted = new Set<number>(await insertNew(this.spans, docs.map((d) => d.doc)));
    const stored = docs.filter((_, j) => inserted.has(j));
    if (this.capabilities.idEqualityOnly) await insertNew(this.spanKeys, stored.map((d) => ({ _id: d.doc._id })));
    const storedIndexes = new Set(stored.map((d) => d.index));
    return numbered.map((s, i) => (s !== null && storedIndexes.has(i) ? s : null));
  }
}

interface WriteErrorInfo {
  readonly index: number;
  readonly code: number;
}

/** The write errors of a failed insertMany; the driver reports one as an object, several as an array. */
function writeErrorsOf(err: unknown): WriteErrorInfo[] {
  const reported = (err as { writeErrors?: WriteErrorInfo | WriteErrorInfo[] }).writeErrors;
  return reported === undefined ? [] : Array.isArray(reported) ? reported : [reported];
}

/** Inserts documents with unique ids; returns the positions of those inserted (the others existed). */
async function insertNew(collection: Collection, docs: readonly Document[]): Promise<number[]> {
  const inserted = new Set(docs.map((_, i) => i));
  if (docs.length === 0) return [];
  try {
    await collection.insertMany([...docs], { ordered: false });
  } catch (err) {
    const writeErrors = writeErrorsOf(err);
    if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
    for (const e of writeErrors) inserted.delete(e.index);
  }
  return [...inserted];
}
