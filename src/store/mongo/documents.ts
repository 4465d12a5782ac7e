import { ObjectId } from 'mongodb';
import type { ResourcesUpdate, RolloutAggregate, Span, Worker } from '../../domain/records';
import { watchDeadline } from '../../domain/watchdog-rules';
import { indexedFields } from '../indexed-fields';

/**
 * Document shapes. User JSON never becomes document keys: each record is kept whole as JSON text
 * (`doc`), so any key (dots, "$", NUL) and any number survive on MongoDB and FerretDB alike. Beside it
 * sit the scalar fields that queries filter, sort and index on, and `ns`, the namespace every query is
 * scoped to. `arrival`, an ObjectId made when the record is created, breaks sort ties (insertion order).
 * Every document is made here, so that the index list (indexes.ts) can be checked against them.
 */

/** The `_id` of a record document: its namespace and key, so point reads and writes go by `_id`. */
export function recordId(ns: string, key: string): string {
  return JSON.stringify([ns, key]);
}

/** The mutable fields of a rollout document: the aggregate and what queries, the queue and the watchdog use. */
export interface RolloutFields {
  [field: string]: unknown;
  /** Queue order while queued: the time it (re-)entered the queue, then a tie-breaker; null otherwise. */
  queue_at: number | null;
  queue_tie: ObjectId | null;
  deadline: number | null;
  /** The highest span sequence id issued for the rollout. */
  span_counter: number;
  attempt_count: number;
  /** Ids of its attempts, so that an attempt is found by id through an index. */
  attempt_ids: string[];
  doc: string;
}

/** A queue position: when the rollout (re-)entered the queue, and an id that orders ties by arrival. */
export interface QueueSlot {
  readonly at: number;
  readonly tie: ObjectId;
}

/** The fields of a rollout document derived from its aggregate. */
export function rolloutFields(agg: RolloutAggregate, slot: QueueSlot | null, spanCounter: number): RolloutFields {
  return {
    ...indexedFields('rollout', agg.rollout),
    queue_at: slot ? slot.at : null,
    queue_tie: slot ? slot.tie : null,
    deadline: watchDeadline(agg),
    span_counter: spanCounter,
    attempt_count: agg.attempts.length,
    attempt_ids: agg.attempts.map((a) => a.attemptId),
    doc: JSON.stringify(agg),
  };
}

/**
 * A new versioned record document (rollout, worker or resources) at version 1: its `_id`, namespace,
 * key under `keyField`, version, arrival, then `fields`.
 */
export function recordDoc(ns: string, keyField: string, key: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { _id: recordId(ns, key), ns, [keyField]: key, version: 1, arrival: new ObjectId(), ...fields };
}

/** A new rollout document. */
export function rolloutDoc(ns: string, agg: RolloutAggregate, slot: QueueSlot | null): Record<string, unknown> {
  return recordDoc(ns, 'rollout_id', agg.rollout.rolloutId, rolloutFields(agg, slot, 0));
}

/** The `_id` of a span: its namespace and key (see spanKey), so a span is stored once and found without a scan. */
export function spanId(ns: string, key: string): string {
  return JSON.stringify([ns, key]);
}

/** A span document with its sortable fields; `arrival` (an id made in arrival order) breaks ties. */
export function spanDoc(ns: string, key: string, s: Span): Record<string, unknown> & { _id: string } {
  return { _id: spanId(ns, key), ns, ...indexedFields('span', s), arrival: new ObjectId(), doc: JSON.stringify(s) };
}

/** A resources snapshot; `written` (a fresh id per write) orders snapshots with equal update times. */
export function resourcesFields(r: ResourcesUpdate): Record<string, unknown> {
  return { ...indexedFields('resources', r), written: new ObjectId(), doc: JSON.stringify(r) };
}

/** A worker's sortable fields and its record. */
export function workerFields(w: Worker): Record<string, unknown> {
  return { ...indexedFields('worker', w), doc: JSON.stringify(w) };
}

/** A claim on one version step of one record (see VersionedRecords): `taken` is the claimer's clock, in seconds. */
export function claimDoc(id: string, taken: number, token: ObjectId): { _id: string; taken: number; token: ObjectId } {
  return { _id: id, taken, token };
}

/** Parses a stored `doc` field. */
export function parseDoc<T>(d: { doc: string }): T {
  return JSON.parse(d.doc) as T;
}
