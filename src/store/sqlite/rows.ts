import type { Attempt, ResourcesUpdate, Rollout, Span, Worker } from '../../domain/records';
import { indexedFields } from '../indexed-fields';

/** Column values of each table: the record's indexed fields, plus `doc`, the whole record as JSON. */

export function rolloutRow(r: Rollout, queuePos: number | null, deadline: number | null) {
  return { ...indexedFields('rollout', r), queue_pos: queuePos, deadline, doc: JSON.stringify(r) };
}

export function attemptRow(a: Attempt) {
  return { ...indexedFields('attempt', a), doc: JSON.stringify(a) };
}

export function spanRow(s: Span) {
  return { ...indexedFields('span', s), doc: JSON.stringify(s) };
}

export function resourcesRow(r: ResourcesUpdate, written: number) {
  return { ...indexedFields('resources', r), written, doc: JSON.stringify(r) };
}

export function workerRow(w: Worker) {
  return { ...indexedFields('worker', w), doc: JSON.stringify(w) };
}

/** Parses a stored `doc` column. */
export function fromDoc<T>(row: { doc: string }): T {
  return JSON.parse(row.doc) as T;
}
