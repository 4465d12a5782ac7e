import type { Collection, Document } from 'mongodb';
import { MongoServerError } from 'mongodb';

/** The error code of a unique-index violation. */
export const DUPLICATE_KEY = 11000;

/** True for a unique-index violation. */
export function isDuplicate(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY;
}

/** The mutable fields of a record document (everything but `_id`, `ns`, its key and `version`). */
export type Fields = Record<string, unknown>;

/** A record as last committed: its fields and the version they have. */
export interface Versioned<F extends Fields> {
  readonly version: number;
  readonly fields: F;
}

/** A commit: the whole new state of one record at one version. Unique per (ns, kind, key, version). */
export interface CommitDoc {
  ns: string;
  kind: string;
  key: string;
  version: number;
  fields: Fields;
  /** Wall-clock milliseconds of the commit (for the sweep and for pruning; never compared across records). */
  at: number;
  /** True once the record's document shows this version (or a later one). */
  applied: boolean;
}

/** Timing of the commit log. */
export interface CommitLogTiming {
  /** A read older than this (ms) is not committed on, so a pruned version can never be reused. */
  readonly maxReadAgeMs: number;
  /** Commits are kept this long (ms) after being applied. */
  readonly retentionMs: number;
  /** A commit not applied after this long (ms) is rolled forward by the sweep. */
  readonly staleAfterMs: number;
}

/** Default timing: reads live at most 1 min, commits are kept 10 min, the sweep takes over after 2 s. */
export const COMMIT_LOG_TIMING: CommitLogTiming = { maxReadAgeMs: 60_000, retentionMs: 600_000, staleAfterMs: 2_000 };

/**
 * Compare-and-set for the records of one kind, built on the one write MongoDB and FerretDB both make
 * atomic: an insert into a unique index. A change from version v is committed by inserting its whole new
 * state as commit v+1 into the commit log; only one writer can insert it. The record's document is then
 * brought to that version (an idempotent write anyone may repeat), and the commit marked applied.
 *
 * Readers that change a record load it with `load`, which rolls the document forward to the newest
 * commit, so a writer that stopped between its commit and the document update loses nothing. Conditional
 * updates alone are not enough: FerretDB 1.24 does not apply them atomically under concurrency.
 */
export class CommitLog<F extends Fields> {
  constructor(
    private readonly records: Collection,
    private readonly commits: Collection<CommitDoc>,
    private readonly ns: string,
    private readonly kind: string,
    private readonly keyField: string,
    private readonly timing: CommitLogTiming = COMMIT_LOG_TIMING,
  ) {}

  private keyOf(key: string): Document {
    return { ns: this.ns, [this.keyField]: key };
  }

  /** The record's current state, rolled forward to its newest commit; null when it does not exist. */
  async load(key: string): Promise<Versioned<F> | null> {
    const doc = await this.records.findOne(this.keyOf(key));
    return doc ? this.rollForward(key, doc) : null;
  }

  /** `doc` (a record document just read) brought up to its newest commit. */
  async rollForward(key: string, doc: Document): Promise<Versioned<F>> {
    const version = doc['version'] as number;
    const newer = await this.commits.find({ ns: this.ns, kind: this.kind, key, version: { $gt: version } }).sort({ version: -1 }).limit(1).next();
    if (!newer) return { version, fields: doc as F };
    await this.apply(key, newer.version, newer.fields);
    return { version: newer.version, fields: { ...doc, ...newer.fields } as F };
  }

  /**
   * Commits `fields` as the version after `from.version`, read at `readAt` (performance.now()). False
   * when another writer committed that version first (or the read is too old): reload and retry.
   */
  async commit(key: string, from: Versioned<F>, fields: F, readAt: number): Promise<boolean> {
    if (performance.now() - readAt > this.timing.maxReadAgeMs) return false;
    const version = from.version + 1;
    try {
      await this.commits.insertOne({ ns: this.ns, kind: this.kind, key, version, fields, at: Date.now(), applied: false });
    } catch (err) {
      if (isDuplicate(err)) return false;
      throw err;
    }
    await this.apply(key, version, fields);
    await this.commits.updateOne({ ns: this.ns, kind: this.kind, key, version }, { $set: { applied: true } });
    return true;
  }

  /** Creates a record at version 1; false when it exists already. */
  async create(key: string, fields: F): Promise<boolean> {
    try {
      await this.records.insertOne({ ...this.keyOf(key), version: 1, ...fields });
      return true;
    } catch (err) {
      if (isDuplicate(err)) return false;
      throw err;
    }
  }

  /** Brings the record's document to `version` unless it is there already. */
  private async apply(key: string, version: number, fields: Fields): Promise<void> {
    await this.records.updateOne({ ...this.keyOf(key), version: { $lt: version } }, { $set: { ...fields, version } });
  }

  /** Rolls forward, then marks, up to `limit` commits left unapplied for longer than staleAfterMs. */
  async sweep(limit: number): Promise<number> {
    const stale = await this.commits
      .find({ ns: this.ns, kind: this.kind, applied: false, at: { $lt: Date.now() - this.timing.staleAfterMs } })
      .sort({ at: 1 })
      .limit(limit)
      .toArray();
    for (const c of stale) {
      await this.load(c.key);
      await this.commits.updateOne({ _id: c._id }, { $set: { applied: true } });
    }
    return stale.length;
  }

  /** Deletes applied commits older than the retention time. */
  async prune(): Promise<void> {
    await this.commits.deleteMany({ ns: this.ns, kind: this.kind, applied: true, at: { $lt: Date.now() - this.timing.retentionMs } });
  }

  /** Commits of `keys` not yet applied, by key (the newest first). */
  async pending(keys: readonly string[]): Promise<Map<string, CommitDoc>> {
    const out = new Map<string, CommitDoc>();
    if (keys.length === 0) return out;
    const rows = await this.commits.find({ ns: this.ns, kind: this.kind, key: { $in: [...keys] }, applied: false }).sort({ version: -1 }).toArray();
    for (const c of rows) if (!out.has(c.key)) out.set(c.key, c);
    return out;
  }
}
