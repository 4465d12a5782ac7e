import { invalidArgument } from './errors';

/** Longest id (rollout, attempt, resources, span, trace, worker, resource name) in characters. */
export const MAX_ID_LENGTH = 512;

/**
 * Greatest sequence id a client may give a span. The counter that numbers later spans starts above it, so
 * the cap leaves 2^52 numbers before the counter could reach 2^53 - 1, the largest integer every client
 * (JavaScript's numbers, JSON parsers that use doubles) decodes exactly.
 */
export const MAX_EXPLICIT_SEQUENCE_ID = 2 ** 52;

/** Largest sequence id the store ever issues (Number.MAX_SAFE_INTEGER, 2^53 - 1). */
export const MAX_SEQUENCE_ID = Number.MAX_SAFE_INTEGER;

/** Deepest nesting of arrays and objects accepted in any JSON payload or request body. */
export const MAX_JSON_DEPTH = 128;

function checkIdText(id: string, field: string): void {
  if (id.length > MAX_ID_LENGTH) throw invalidArgument(`${field} is longer than ${MAX_ID_LENGTH} characters (${id.length})`);
  if (id.includes('\u0000')) throw invalidArgument(`${field} must not contain NUL characters`);
}

/** Checks an id supplied by a caller: not empty, at most MAX_ID_LENGTH characters, no NUL. Throws INVALID_ARGUMENT. */
export function checkId(id: string, field: string): string {
  if (id === '') throw invalidArgument(`${field} must not be empty`);
  checkIdText(id, field);
  return id;
}

/** Like checkId, for ids that may be empty (trace ids, parent span ids, context ids). */
export function checkOptionalId(id: string, field: string): string {
  checkIdText(id, field);
  return id;
}

/** Checks a time in seconds: absent (null) or a finite number. Throws INVALID_ARGUMENT. */
export function checkTime(value: number | null, field: string): number | null {
  if (value !== null && !Number.isFinite(value)) throw invalidArgument(`${field} must be a finite number`);
  return value;
}

/** Checks a sequence id a client supplied: an integer from 0 to MAX_EXPLICIT_SEQUENCE_ID. Throws INVALID_ARGUMENT. */
export function checkExplicitSequenceId(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_EXPLICIT_SEQUENCE_ID) {
    throw invalidArgument(`${field} must be an integer from 0 to ${MAX_EXPLICIT_SEQUENCE_ID}, got ${value}`);
  }
  return value;
}

/** True when `text` has at most `limit` opening brackets (found by native search, not a character loop). */
function fewBrackets(text: string, limit: number): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at >= 0; at = text.indexOf(bracket, at + 1)) if (++count > limit) return false;
  }
  return true;
}

/**
 * True when a JSON text nests arrays and objects more than `limit` levels deep, found without recursion.
 * Strings are skipped (brackets inside them do not count). A text with at most `limit` brackets in all
 * cannot nest deeper and is not scanned character by character.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  if (fewBrackets(text, limit)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** INVALID_ARGUMENT when a JSON text nests deeper than MAX_JSON_DEPTH. */
export function checkJsonDepth(text: string, field: string): void {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw invalidArgument(`${field} nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
}
