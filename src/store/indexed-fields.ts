import type { RecordKind } from '../domain/query';
import { SORTABLE_FIELDS } from '../domain/query';

/** A scalar value a backend indexes. */
export type IndexedValue = string | number | null;

/**
 * The scalar fields of a record that queries filter and sort on, by their snake_case names (the
 * domain's SORTABLE_FIELDS). The SQL columns and the document fields of every backend are exactly these.
 */
export function indexedFields(kind: RecordKind, record: object): Record<string, IndexedValue> {
  const values = record as Record<string, IndexedValue | undefined>;
  const out: Record<string, IndexedValue> = {};
  for (const [name, property] of Object.entries(SORTABLE_FIELDS[kind])) out[name] = values[property] ?? null;
  return out;
}
