import { invalidArgument } from './errors';
import { checkJsonDepth } from './input-limits';
import type { JsonText } from './records';

/** What a JSON text field may hold. */
export type JsonShape = 'any' | 'object' | 'object-or-null';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Checks that `text` is a JSON document of the given shape and returns it unchanged (the text is stored
 * verbatim, so 64-bit integers keep every digit). An empty string yields `fallback`.
 * Throws INVALID_ARGUMENT naming `field` otherwise.
 */
export function checkJson(text: string, field: string, shape: JsonShape, fallback: JsonText): JsonText {
  if (text.trim() === '') return fallback;
  checkJsonDepth(text, field);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidArgument(`${field} is not valid JSON: ${(err as Error).message}`);
  }
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (shape === 'object' && !isObject) throw invalidArgument(`${field} must be a JSON object, got ${describe(value)}`);
  if (shape === 'object-or-null' && !isObject && value !== null) {
    throw invalidArgument(`${field} must be a JSON object or null, got ${describe(value)}`);
  }
  return text;
}

/** The JSON text of an empty object. */
export const EMPTY_OBJECT: JsonText = '{}';
/** The JSON text of null. */
export const JSON_NULL: JsonText = 'null';
