import { HttpError } from '../../src/http/errors';
import { queryFields, objectFields, stringListField, numberField, intField, stringField } from '../../src/http/agl/fields';
import { RawJson, raw, stringifyJson } from '../../src/http/agl/json-out';
import { parseBody, parseJsonSource } from '../../src/http/agl/json-source';
import { windowOf } from '../../src/http/agl/paging';
import { ATTEMPT_FIELDS, ROLLOUT_FIELDS } from '../../src/http/agl/model-fields';

describe('JSON with source text', () => {
  it('keeps the exact source text of every node', () => {
    const text = ' { "a" : [1, 2.50 , {"b":null}], "big": 12345678901234567890, "s": "x\\"y\\u00e9", "t": true, "f": false } ';
    const node = parseJsonSource(text);
    if (node.kind !== 'object') throw new Error('expected an object');
    expect(node.raw).toBe(text.trim());
    expect(node.entries.get('a')?.raw).toBe('[1, 2.50 , {"b":null}]');
    expect(node.entries.get('big')).toMatchObject({ kind: 'number', raw: '12345678901234567890' });
    expect(node.entries.get('s')).toEqual({ kind: 'string', value: 'x"yé', raw: '"x\\"y\\u00e9"' });
    expect(node.entries.get('t')).toMatchObject({ kind: 'boolean', value: true });
    expect(node.entries.get('f')).toMatchObject({ kind: 'boolean', value: false });
    const a = node.entries.get('a');
    if (a?.kind !== 'array') throw new Error('expected an array');
    expect(a.items.map((i) => i.raw)).toEqual(['1', '2.50', '{"b":null}']);
  });

  it('parses empty containers, nested empties, negative and exponent numbers', () => {
    const node = parseJsonSource('{"o":{},"l":[],"n":[[],{}],"x":-1.5e-3}');
    if (node.kind !== 'object') throw new Error('expected an object');
    expect([...node.entries.keys()]).toEqual(['o', 'l', 'n', 'x']);
    expect(node.entries.get('x')).toEqual({ kind: 'number', value: -0.0015, raw: '-1.5e-3' });
    expect(node.entries.get('n')?.raw).toBe('[[],{}]');
  });

  it('rejects malformed JSON with a 400; an empty body is null', () => {
    expect(() => parseJsonSource('{"a":}')).toThrow(HttpError);
    expect(() => parseJsonSource('[1,')).toThrow(expect.objectContaining({ status: 400 }) as Error);
    expect(parseBody(Buffer.from('  '))).toEqual({ kind: 'null', raw: 'null' });
  });

  it('writes stored JSON text verbatim and everything else as JSON', () => {
    const out = stringifyJson({ a: raw('{"n": 12345678901234567890}'), b: [1, 'two', null, true], c: { d: new RawJson('1.50') } });
    expect(out).toBe('{"a":{"n": 12345678901234567890},"b":[1,"two",null,true],"c":{"d":1.50}}');
    expect(stringifyJson(raw(''))).toBe('null');
  });
});

describe('request fields', () => {
  it('reads typed body fields: absent is undefined, explicit null is null, wrong type is 422', () => {
    const src = objectFields(parseJsonSource('{"s":"x","n":null,"i":2.0,"f":1.5,"l":["a"]}'), 'body');
    expect(stringField(src, 's')).toBe('x');
    expect(stringField(src, 'missing')).toBeUndefined();
    expect(stringField(src, 'n')).toBeNull();
    expect(intField(src, 'i')).toBe(2);
    expect(() => intField(src, 'f')).toThrow(expect.objectContaining({ status: 422, message: 'body.f: expected an integer' }) as Error);
    expect(() => stringField(src, 'i')).toThrow(expect.objectContaining({ status: 422 }) as Error);
    expect(stringListField(src, 'l')).toEqual(['a']);
    expect(() => stringListField(src, 'l', ['b'])).toThrow(expect.objectContaining({ status: 422 }) as Error);
  });

  it('reads query strings: numbers from text, lists from repeated keys', () => {
    const src = queryFields(new URLSearchParams('limit=5&offset=2&status_in=a&status_in=b&x=abc'));
    expect(intField(src, 'limit')).toBe(5);
    expect(stringListField(src, 'status_in')).toEqual(['a', 'b']);
    expect(() => numberField(src, 'x')).toThrow(expect.objectContaining({ status: 422 }) as Error);
    // A body never takes text for a number.
    expect(() => numberField(objectFields(parseJsonSource('{"limit":"5"}'), 'body'), 'limit')).toThrow(expect.objectContaining({ status: 422 }) as Error);
  });

  it('maps paging: -1 is no limit; desc alone reverses the default sort of attempts and spans', () => {
    const body = (text: string) => objectFields(parseJsonSource(text), 'body');
    expect(windowOf(body('{}'), ATTEMPT_FIELDS)).toEqual({ page: { limit: null, offset: 0 } });
    expect(windowOf(body('{"limit":3,"offset":1,"sort_by":"status"}'), ATTEMPT_FIELDS)).toEqual({ page: { limit: 3, offset: 1 }, sort: { field: 'status', order: 'asc' } });
    expect(windowOf(body('{"sort_order":"desc"}'), ATTEMPT_FIELDS, 'sequence_id')).toEqual({ page: { limit: null, offset: 0 }, sort: { field: 'sequence_id', order: 'desc' } });
    expect(windowOf(body('{"sort_order":"desc"}'), ATTEMPT_FIELDS)).toEqual({ page: { limit: null, offset: 0 } });
    expect(() => windowOf(body('{"limit":0}'), ATTEMPT_FIELDS)).toThrow(expect.objectContaining({ status: 400 }) as Error);
    expect(() => windowOf(body('{"offset":-1}'), ATTEMPT_FIELDS)).toThrow(expect.objectContaining({ status: 400 }) as Error);
  });

  it('refuses a sort_by that is not a declared field with the reference message, naming every field', () => {
    const body = objectFields(parseJsonSource('{"sort_by":"attempt"}'), 'body');
    expect(() => windowOf(body, ROLLOUT_FIELDS)).toThrow(
      expect.objectContaining({
        status: 400,
        message: 'Invalid sort_by: attempt, allowed fields are: rollout_id, input, start_time, end_time, mode, resources_id, status, config, metadata',
      }) as Error,
    );
  });
});
