import { ObjectId } from 'mongodb';
import type { ResourcesUpdate, RolloutAggregate, Span, Worker } from '../../domain/records';
import { watchDeadline } from '../../domain/watchdog-rules';
import { indexedFields } from '../indexed-fields';

/**
 * Document shapes. User JSON never becomes document keys: each record is kept whole as JSON text
 * (`doc`), so any key (dots, "$", NUL) and any number survive on MongoDB and FerretDB alike. Beside it
 * sit the scalar fields that queries filter, sort and index on, and `ns`, the namespace every query is
 * scoped to. `arrival`, an ObjectId made when the record is created, breaks sort ties (insertion order).
 */

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
    doc: JSON.stringify(agg),
  };
}

/** A span with its sortable fields; `arrival` (an id made in arrival order) breaks ties. */
export function spanDoc(ns: string, s: Span) {
  return { ns, ...indexedFields('span', s), arrival: new ObjectId(), doc: JSON.stringify(s) };
}

/** A resources snapshot; `written` (a fresh id per write) orders snapshots with equal update times. */
export function resourcesFields(r: ResourcesUpdate): Record<string, unknown> {
  return { ...indexedFields('resources', r), written: new ObjectId(), doc: JSON.stringify(r) };
}

/** A worker's sortable fields and its record. */
export function workerFields(w: Worker): Record<string, unknown> {
  return { ...indexedFields('worker', w), doc: JSON.stringify(w) };
}

/** Parses a stored `doc` field. */
export function parseDoc<T>(d: { doc: string }): T {
  return JSON.parse(d.doc) as T;
}
