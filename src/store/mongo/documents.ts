import type { ResourcesUpdate, RolloutAggregate, Span, Worker } from '../../domain/records';
import { watchDeadline } from '../../domain/watchdog-rules';
import { indexedFields } from '../indexed-fields';

/**
 * Document shapes. User JSON never becomes document keys: each record is kept whole as JSON text
 * (`doc`), so any key (dots, "$", NUL) and any number survive on MongoDB and FerretDB alike. Beside it
 * sit the scalar fields that queries filter, sort and index on, and `ns`, the namespace every query is
 * scoped to.
 */

/** The rollout aggregate: the rollout and all its attempts in one document, changed by compare-and-set on `version`. */
export interface RolloutDoc {
  ns: string;
  rollout_id: string;
  seq: number;
  status: string;
  start_time: number;
  end_time: number | null;
  mode: string | null;
  resources_id: string | null;
  /** Position in the queue while queued (> 0), else null. */
  queue_pos: number | null;
  deadline: number | null;
  span_counter: number;
  attempt_count: number;
  version: number;
  doc: string;
}

/** The fields of a rollout document derived from its aggregate. */
export function rolloutFields(agg: RolloutAggregate, queuePos: number | null) {
  return {
    ...indexedFields('rollout', agg.rollout),
    queue_pos: queuePos,
    deadline: watchDeadline(agg),
    attempt_count: agg.attempts.length,
    doc: JSON.stringify(agg),
  };
}

/** A span with its key and sortable fields. */
export function spanDoc(ns: string, s: Span, seq: number) {
  return { ns, ...indexedFields('span', s), seq, doc: JSON.stringify(s) };
}

/** A resources snapshot; `written` orders snapshots with equal update times (last written wins). */
export function resourcesFields(r: ResourcesUpdate, written: number) {
  return { ...indexedFields('resources', r), written, doc: JSON.stringify(r) };
}

/** A worker's sortable fields and its record. */
export function workerFields(w: Worker) {
  return { ...indexedFields('worker', w), doc: JSON.stringify(w) };
}

/** Parses a stored `doc` field. */
export function parseDoc<T>(d: { doc: string }): T {
  return JSON.parse(d.doc) as T;
}
