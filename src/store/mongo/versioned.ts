import type { Collection, Document } from 'mongodb';
import { MongoServerError, ObjectId } from 'mongodb';
import type { Clock } from '../../domain/clock';
import { claimDoc, recordDoc, recordId } from './documents';

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

/** A claim document: see VersionedRecords. */
export interface ClaimDoc {
  _id: string;
  /**
   * When it was taken, on the claimer's injected clock (seconds). Older releases wrote `at` in wall-clock
   * milliseconds instead; a claim without `taken` is theirs and counts as expired.
   */
  taken?: number;
  /** Tells its writer's claim from a later one on the same step. */
  token: ObjectId;
}

/** A claim this writer holds on one version step. */
export interface HeldClaim {
  readonly id: string;
  readonly token: ObjectId;
}

/** A claim older than this (seconds, on the injected clock) belongs to a writer that stopped; the next writer removes it. */
export const CLAIM_EXPIRY_SECONDS = 10;

/** Longest pause before retrying when another writer holds the step (ms); the pause is random below it. */
const BUSY_PAUSE_MS = 20;

/** How VersionedRecords commits. */
export interface VersionedOptions {
  /** Take a unique claim on the version step before the conditional update (servers without an atomic one). */
  readonly claimFirst: boolean;
  /** Read several records one `_id` at a time rather than with one `$in` (see MongoCapabilities). */
  readonly idEqualityOnly: boolean;
  /** Time of claims and of their expiry. */
  readonly clock: Clock;
}

/**
 * Compare-and-set for the records of one kind. Every commit is one conditional update that carries the
 * expected version in its filter, `updateOne({_id, version: v}, {$set: {..., version: v + 1}})`, and its
 * matchedCount decides: on MongoDB that is atomic, so it is the whole commit, and a writer that read an old
 * version (or stalled for any length of time) can never overwrite a newer one.
 *
 * With `claimFirst` (servers whose conditional update is not atomic under concurrency, FerretDB 1.24) the
 * writer first inserts a claim whose unique `_id` names the step v→v+1 (an insert into a unique `_id` is
 * atomic there), then runs the same conditional update, then deletes the claim. The claim keeps writers of
 * one step apart; the version in the filter refuses any writer that comes late, including one that held
 * a claim, stalled past CLAIM_EXPIRY_SECONDS and lost it. A claim left by a writer that stopped leaves the
 * record at v or v+1, never between; the next writer removes it once expired on its clock.
 */
export class VersionedRecords<F extends Fields> {
  constructor(
    private readonly records: Collection,
    private readonly claims: Collection<ClaimDoc>,
    private readonly ns: string,
    private readonly kind: string,
    private readonly keyField: string,
    private readonly options: VersionedOptions,
  ) {}

  private id(key: string): string {
    return recordId(this.ns, key);
  }

  private claimId(key: string, version: number): string {
    return JSON.stringify([this.ns, this.kind, key, version]);
  }

  /** The record's current state; null when it does not exist. One point read. */
  async load(key: string): Promise<Versioned<F> | null> {
    const doc = await this.records.findOne({ _id: this.id(key) } as Document);
    return doc ? this.state(doc) : null;
  }

  /** The state a record document just read shows. */
  state(doc: Document): Versioned<F> {
    return { version: doc['version'] as number, fields: doc as F };
  }

  /** The current states of `keys` that exist: one `$in` read by `_id`, or point reads (idEqualityOnly). */
  async loadMany(keys: readonly string[]): Promise<Map<string, Versioned<F>>> {
    if (keys.length === 0) return new Map();
    if (keys.length === 1 || this.options.idEqualityOnly) {
      const states = await Promise.all(keys.map(async (key) => [key, await this.load(key)] as const));
      return new Map(states.filter((e): e is readonly [string, Versioned<F>] => e[1] !== null));
    }
    const docs = await this.records.find({ _id: { $in: keys.map((k) => this.id(k)) } } as Document).toArray();
    return new Map(docs.map((d) => [d[this.keyField] as string, this.state(d)]));
  }

  /** Writes `fields` as the version after `from.version`; false when the record moved on first (reload and retry). */
  async commit(key: string, from: Versioned<F>, fields: F): Promise<boolean> {
    if (!this.options.claimFirst) return this.updateWhereVersion(key, from, fields);
    const claim = await this.claim(key, from.version);
    if (!claim) return false;
    return this.commitClaimed(claim, key, from, fields);
  }

  /**
   * Takes the claim on step from→from+1; null when another writer holds it (after a short pause, or after
   * removing it when it has expired, so that the caller's retry can take it).
   */
  async claim(key: string, version: number): Promise<HeldClaim | null> {
    const id = this.claimId(key, version + 1);
    const token = new ObjectId();
    try {
      await this.claims.insertOne(claimDoc(id, this.options.clock.now(), token));
      return { id, token };
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      await this.contend(id);
      return null;
    }
  }

  /** The conditional update under a held claim, then the claim's release (only if still ours). */
  async commitClaimed(claim: HeldClaim, key: string, from: Versioned<F>, fields: F): Promise<boolean> {
    try {
      return await this.updateWhereVersion(key, from, fields);
    } finally {
      await this.claims.deleteOne({ _id: claim.id, token: claim.token });
    }
  }

  /** Updates the record where its version is still `from.version` (one conditional update); true when it did. */
  private async updateWhereVersion(key: string, from: Versioned<F>, fields: F): Promise<boolean> {
    const res = await this.records.updateOne({ _id: this.id(key), version: from.version } as Document, { $set: { ...fields, version: from.version + 1 } });
    return res.matchedCount === 1;
  }

  /** Another writer holds the step: remove its claim when it has expired on our clock, else wait a moment. */
  private async contend(claimId: string): Promise<void> {
    const claim = await this.claims.findOne({ _id: claimId });
    if (claim && (claim.taken === undefined || this.options.clock.now() - claim.taken > CLAIM_EXPIRY_SECONDS)) {
      // Its writer may still be alive and late: the version in its update's filter refuses it once
      // anyone has committed this step.
      await this.claims.deleteOne({ _id: claimId, token: claim.token });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * BUSY_PAUSE_MS));
  }

  /** Creates a record at version 1; false when it exists already. */
  async create(key: string, fields: F): Promise<boolean> {
    try {
      await this.records.insertOne(recordDoc(this.ns, this.keyField, key, fields));
      return true;
    } catch (err) {
      if (isDuplicate(err)) return false;
      throw err;
    }
  }

  /** Removes claims left by writers that stopped long ago (they block nothing once expired, but take space). */
  async removeExpiredClaims(): Promise<void> {
    await this.claims.deleteMany({ $or: [{ taken: { $lt: this.options.clock.now() - 60 * CLAIM_EXPIRY_SECONDS } }, { taken: { $exists: false } }] });
  }
}
