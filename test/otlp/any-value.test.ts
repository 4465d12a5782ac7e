import { anyValueJson, findAttribute, keyValuesJson } from '../../src/otlp/any-value';
import { anyValue, attrs } from './values';

describe('anyValueJson', () => {
  it.each([
    ['a string', anyValue('a "quoted" line\n'), '"a \\"quoted\\" line\\n"'],
    ['true', anyValue(true), 'true'],
    ['false', anyValue(false), 'false'],
    ['an int beyond 2^53 with every digit', anyValue(-9223372036854775808n), '-9223372036854775808'],
    ['a double', anyValue(2.5), '2.5'],
    ['a whole double with a fraction', { value: { $case: 'doubleValue' as const, value: 1 } }, '1.0'],
    ['a zero double', { value: { $case: 'doubleValue' as const, value: 0 } }, '0.0'],
    ['a negative zero double', { value: { $case: 'doubleValue' as const, value: -0 } }, '-0.0'],
    ['a large whole double', { value: { $case: 'doubleValue' as const, value: 1e20 } }, '100000000000000000000.0'],
    ['a double with an exponent as written', { value: { $case: 'doubleValue' as const, value: 1e21 } }, '1e+21'],
    ['a small double as written', { value: { $case: 'doubleValue' as const, value: 1e-7 } }, '1e-7'],
    ['NaN', anyValue(NaN), '"NaN"'],
    ['-Infinity', anyValue(-Infinity), '"-Infinity"'],
    ['bytes as lowercase hex', anyValue(Uint8Array.from([0x00, 0xab, 0xff])), '"00abff"'],
    ['an unset value', anyValue(null), 'null'],
    ['an absent value', undefined, 'null'],
  ])('writes %s', (_name, value, json) => {
    expect(anyValueJson(value)).toBe(json);
  });

  it('writes arrays and key-value lists recursively', () => {
    const nested = {
      value: {
        $case: 'arrayValue' as const,
        value: { values: [anyValue(1), { value: { $case: 'kvlistValue' as const, value: { values: attrs({ a: 'x', b: null }) } } }] },
      },
    };
    expect(anyValueJson(nested)).toBe('[1,{"a":"x","b":null}]');
  });
});

describe('keyValuesJson', () => {
  it('writes an object; a repeated key keeps its first position and its last value', () => {
    const list = [...attrs({ a: 1, b: 2 }), ...attrs({ a: 3 })];
    expect(keyValuesJson(list)).toBe('{"a":3,"b":2}');
    expect(keyValuesJson([])).toBe('{}');
  });
});

describe('findAttribute', () => {
  it('finds the last attribute of a key, an unset value included', () => {
    expect(findAttribute([...attrs({ k: 'first' }), ...attrs({ k: 'last' })], 'k')).toEqual(anyValue('last'));
    expect(findAttribute([{ key: 'k', value: undefined }], 'k')).toEqual({ value: undefined });
    expect(findAttribute(attrs({ other: 1 }), 'k')).toBeUndefined();
  });
});
