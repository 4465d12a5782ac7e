import type { Collection, Document } from 'mongodb';
import { MongoServerError, ObjectId } from 'mongodb';

/** The error code of a unique-index violation. */
export const DUPLICATE_KEY = 11000;

/** True for a unique-index violation. */
export function isDuplicate(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY;
}

/**
 * The `_id` of a record document: its namespace and key. Point reads and writes go by `_id`, the one
 * filter FerretDB 1.24's SQLite handler evaluates in its storage rather than by decoding every document.
 */
export function recordId(ns: string, key: string): string {
  return JSON.stringify([ns, key]);
}

/** The mutable fields of a record document (everything but `_id`, `ns`, its key and `version`). */
export type Fields = Record<string, unknown>;

/** A record as last committed: its fields and the version they have. */
export interface Versioned<F extends Fields> {
  readonly version: number;
  readonly fields: F;
}

/**
 * The claim on one version step of one record, held while the writer that inserted it updates the
 * record. Its `_id` (namespace, kind, key, target version) is unique, so one writer at a time holds it.
 */
export interface ClaimDoc {
  _id: string;
  /** Wall-clock milliseconds when it was taken. */
  at: number;
  /** Tells its writer's claim from a later one on the same step. */
  token: ObjectId;
}

/** A claim older than this (ms) belongs to a writer that stopped; the next writer removes it. */
export const CLAIM_EXPIRY_MS = 10_000;

/** Longest pause before retrying when another writer holds the step (ms); the pause is random below it. */
const BUSY_PAUSE_MS = 20;

/**
 * Compare-and-set for the records of one kind that holds on MongoDB and on FerretDB alike. A change
 * from version v first takes the claim on step v→v+1 (an insert into a unique `_id`, the one write
 * FerretDB 1.24 makes atomic under concurrency), then checks that the record is still at v and updates
 * it, then gives the claim back. The claim keeps two writers of the same step apart (FerretDB's
 * conditional update is not atomic); the version check refuses a writer that read an old version after
 * that step's claim was given back. A writer that stops while holding a claim leaves the record at v or
 * v+1, never between; the claim expires after CLAIM_EXPIRY_MS.
 */
export class VersionedRecords<F extends Fields> {
  constructor(
    private readonly records: Collection,
    private readonly claims: Collection<ClaimDoc>,
    private readonly ns: string,
    private readonly kind: string,
    private readonly keyField: string,
    /** False: no claim around the update (records whose rare lost update on FerretDB is harmless). */
    private readonly guarded: boolean = true,
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

  /** The current states of `keys` that exist; point reads only. */
  async loadMany(keys: readonly string[]): Promise<Map<string, Versioned<F>>> {
    const states = await Promise.all(keys.map(async (key) => [key, await this.load(key)] as const));
    return new Map(states.filter((e): e is readonly [string, Versioned<F>] => e[1] !== null));
  }

  /** Writes `fields` as the version after `from.version`; false when the record moved on first (reload and retry). */
  async commit(key: string, from: Versioned<F>, fields: F): Promise<boolean> {
    if (!this.guarded) return this.updateWhereVersion(key, from, fields);
    const claimId = this.claimId(key, from.version + 1);
    const token = new ObjectId();
    try {
      await this.claims.insertOne({ _id: claimId, at: Date.now(), token });
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      await this.contend(claimId, key, from.version);
      return false;
    }
    try {
      // Holding the step's claim, only a writer that read an older version could still write: the
      // version read back tells. The update then filters on _id alone, which FerretDB finds without a
      // scan (any further condition makes it decode every document of the collection).
      const current = await this.records.findOne({ _id: this.id(key) } as Document, { projection: { version: 1 } });
      if (current?.['version'] !== from.version) return false;
      await this.records.updateOne({ _id: this.id(key) } as Document, { $set: { ...fields, version: from.version + 1 } });
      return true;
    } finally {
      await this.claims.deleteOne({ _id: claimId, token });
    }
  }

  /** Updates the record where its version is still `from.version` (one conditional update); true when it did. */
  private async updateWhereVersion(key: string, from: Versioned<F>, fields: F): Promise<boolean> {
    const res = await this.records.updateOne({ _id: this.id(key), version: from.version } as Document, { $set: { ...fields, version: from.version + 1 } });
    return res.matchedCount === 1;
  }

  /** Another writer holds the step: wait a moment, or remove its claim when it has expired. */
  private async contend(claimId: string, key: string, version: number): Promise<void> {
    const claim = await this.claims.findOne({ _id: claimId });
    if (claim && Date.now() - claim.at > CLAIM_EXPIRY_MS) {
      const current = await this.load(key);
      if (current?.version === version) await this.claims.deleteOne({ _id: claimId, token: claim.token });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * BUSY_PAUSE_MS));
  }

  /** Creates a record at version 1; false when it exists already. */
  async create(key: string, fields: F): Promise<boolean> {
    try {
      await this.records.insertOne({ _id: this.id(key), ns: this.ns, [this.keyField]: key, version: 1, arrival: new ObjectId(), ...fields } as Document);
      return true;
    } catch (err) {
      if (isDuplicate(err)) return false;
      throw err;
    }
  }

  /** Removes claims left by writers that stopped long ago (they block nothing, but take space). */
  async removeExpiredClaims(): Promise<void> {
    await this.claims.deleteMany({ at: { $lt: Date.now() - 60 * CLAIM_EXPIRY_MS } });
  }
}
