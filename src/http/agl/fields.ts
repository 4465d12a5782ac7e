import { HttpError } from '../errors';
import type { JsonNode } from './json-source';

/**
 * The named fields of a request, from a JSON object body or from a query string, read the same way.
 * Readers answer `undefined` for an absent key and `null` for an explicit null; a value of the wrong
 * type is a 422 naming the field, as the reference's request models answer.
 */
export interface FieldSource {
  /** Where the fields come from, for messages ("body", "rollouts[0]", "query"). */
  readonly path: string;
  /** Query strings carry only text: numbers are parsed from it and lists are repeated keys. */
  readonly fromQuery: boolean;
  /** The node under `key`; a repeatable query key gives an array of every occurrence. */
  get(key: string, repeatable?: boolean): JsonNode | undefined;
}

/** A schema violation: 422. */
export function unprocessable(path: string, key: string, expected: string): HttpError {
  return new HttpError(422, `${path}.${key}: expected ${expected}`);
}

/** The fields of a JSON object; anything else is a 422. */
export function objectFields(node: JsonNode, path: string): FieldSource {
  if (node.kind !== 'object') throw new HttpError(422, `${path}: expected a JSON object, got ${node.kind}`);
  return { path, fromQuery: false, get: (key) => node.entries.get(key) };
}

/** The fields of an optional JSON object body: `null` gives a source without fields. */
export function optionalObjectFields(node: JsonNode, path: string): FieldSource {
  return node.kind === 'null' ? { path, fromQuery: false, get: () => undefined } : objectFields(node, path);
}

function textNode(value: string): JsonNode {
  return { kind: 'string', value, raw: JSON.stringify(value) };
}

/** The fields of a query string; a key given twice counts by its last value unless repeatable. */
export function queryFields(params: URLSearchParams): FieldSource {
  return {
    path: 'query',
    fromQuery: true,
    get: (key, repeatable = false) => {
      const values = params.getAll(key);
      if (values.length === 0) return undefined;
      if (repeatable) {
        const items = values.map(textNode);
        return { kind: 'array', items, raw: `[${items.map((i) => i.raw).join(',')}]` };
      }
      return textNode(values[values.length - 1]!);
    },
  };
}

/** The node under `key`: undefined when the key is absent, null for an explicit JSON null. */
function valueOf(src: FieldSource, key: string, repeatable = false): JsonNode | null | undefined {
  const node = src.get(key, repeatable);
  return node?.kind === 'null' ? null : node;
}

/** A string field. */
export function stringField(src: FieldSource, key: string): string | null | undefined {
  const node = valueOf(src, key);
  if (node === undefined || node === null) return node;
  if (node.kind !== 'string') throw unprocessable(src.path, key, 'a string');
  return node.value;
}

/** A string field that must be present and not null. */
export function requiredString(src: FieldSource, key: string): string {
  const value = stringField(src, key);
  if (value === undefined || value === null) throw unprocessable(src.path, key, 'a string (required)');
  return value;
}

/** A number field (a query string's text must be a finite number). */
export function numberField(src: FieldSource, key: string): number | null | undefined {
  const node = valueOf(src, key);
  if (node === undefined || node === null) return node;
  if (node.kind === 'number') return node.value;
  if (src.fromQuery && node.kind === 'string' && node.value.trim() !== '' && Number.isFinite(Number(node.value))) {
    return Number(node.value);
  }
  throw unprocessable(src.path, key, 'a number');
}

/** An integer field. */
export function intField(src: FieldSource, key: string): number | null | undefined {
  const value = numberField(src, key);
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw unprocessable(src.path, key, 'an integer');
  return value;
}

/** A boolean field. */
export function booleanField(src: FieldSource, key: string): boolean | null | undefined {
  const node = valueOf(src, key);
  if (node === undefined || node === null) return node;
  if (node.kind !== 'boolean') throw unprocessable(src.path, key, 'a boolean');
  return node.value;
}

/** A field holding one of `values`. */
export function enumField<T extends string>(src: FieldSource, key: string, values: readonly T[]): T | null | undefined {
  const node = valueOf(src, key);
  if (node === undefined || node === null) return node;
  if (node.kind !== 'string' || !(values as readonly string[]).includes(node.value)) {
    throw unprocessable(src.path, key, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  return node.value as T;
}

/** A list of strings (a repeatable key in a query string), each optionally one of `values`. */
export function stringListField<T extends string = string>(src: FieldSource, key: string, values?: readonly T[]): T[] | null | undefined {
  const node = valueOf(src, key, true);
  if (node === undefined || node === null) return node;
  const expected = values ? `a list of ${values.map((v) => JSON.stringify(v)).join(', ')}` : 'a list of strings';
  if (node.kind !== 'array') throw unprocessable(src.path, key, expected);
  return node.items.map((item) => {
    if (item.kind !== 'string' || (values && !(values as readonly string[]).includes(item.value))) {
      throw unprocessable(src.path, key, expected);
    }
    return item.value as T;
  });
}

/** The source text of a JSON object field (an explicit null gives null). */
export function objectTextField(src: FieldSource, key: string): string | null | undefined {
  const node = valueOf(src, key);
  if (node === undefined || node === null) return node;
  if (node.kind !== 'object') throw unprocessable(src.path, key, 'a JSON object');
  return node.raw;
}

/** A field that may hold any JSON value (its source text); absent when the key is absent. */
export function anyTextField(src: FieldSource, key: string): string | undefined {
  return src.get(key)?.raw;
}

/** A value that must not be an explicit null (reference §10.5): 400 naming the field. */
export function notNull<T>(value: T | null | undefined, key: string): T | undefined {
  if (value === null) throw new HttpError(400, `${key} is invalid; it cannot be a null value.`);
  return value;
}
