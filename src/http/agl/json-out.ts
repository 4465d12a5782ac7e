import type { JsonText } from '../../domain/records';
import type { HttpReply } from '../router';
import { bytesReply } from '../router';

/** Stored JSON text to be written into an answer verbatim (so 64-bit integers come back exactly). */
export class RawJson {
  constructor(readonly text: JsonText) {}
}

/** A JSON answer under construction: plain values, with stored payloads as RawJson. */
export type JsonOut = null | boolean | number | string | RawJson | readonly JsonOut[] | { readonly [key: string]: JsonOut };

/** Stored JSON text as an answer value; an empty text (never stored, but harmless) is null. */
export function raw(text: JsonText): RawJson {
  return new RawJson(text.trim() === '' ? 'null' : text);
}

/** Serialises a JsonOut; RawJson is inlined as it is, everything else as JSON.stringify writes it. */
export function stringifyJson(value: JsonOut): string {
  if (value instanceof RawJson) return value.text;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly JsonOut[]).map(stringifyJson).join(',')}]`;
  const fields = Object.entries(value as { readonly [key: string]: JsonOut }).map(
    ([key, item]) => `${JSON.stringify(key)}:${stringifyJson(item)}`,
  );
  return `{${fields.join(',')}}`;
}

/** A JSON answer written with stringifyJson. */
export function aglReply(status: number, value: JsonOut): HttpReply {
  return bytesReply(status, Buffer.from(stringifyJson(value), 'utf8'), 'application/json');
}
