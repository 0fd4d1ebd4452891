import fc from 'fast-check';
import { Decimal, formatDouble } from '../../src/schema/index.js';
import {
  JsonNumber,
  JsonObject,
  JsonSyntaxError,
  formatJsonDecimal,
  formatJsonDouble,
  parseJson,
  quoteJson,
  quoteJsonChars,
  writeJsonValue,
} from '../../src/serde/json-text.js';

describe('parseJson', () => {
  test('scalars', () => {
    expect(parseJson('true')).toBe(true);
    expect(parseJson('false')).toBe(false);
    expect(parseJson('null')).toBeNull();
    expect(parseJson('"a\\"b\\\\c\\/d\\n\\u00e9"')).toBe('a"b\\c/d\né');
    expect(parseJson('  12 ')).toBe(12);
    expect(parseJson('-0')).toBe(0);
    expect(Object.is(parseJson('-0'), 0)).toBe(true);
  });

  test('integers up to 15 digits are numbers; others keep their text', () => {
    expect(parseJson('123456789012345')).toBe(123456789012345);
    expect(parseJson('-123456789012345')).toBe(-123456789012345);
    expect(parseJson('1234567890123456')).toEqual(new JsonNumber('1234567890123456', true));
    expect(parseJson('9223372036854775807')).toEqual(new JsonNumber('9223372036854775807', true));
    expect(parseJson('1.50')).toEqual(new JsonNumber('1.50', false));
    expect(parseJson('1e3')).toEqual(new JsonNumber('1e3', false));
    expect(parseJson('-2.5E-3')).toEqual(new JsonNumber('-2.5E-3', false));
  });

  test('objects keep order and duplicates; arrays', () => {
    const v = parseJson('{"a": 1, "b": [1, "x", null], "a": 2}') as JsonObject;
    expect(v).toBeInstanceOf(JsonObject);
    expect(v.keys).toEqual(['a', 'b', 'a']);
    expect(v.get('a')).toBe(2);
    expect(v.get('b')).toEqual([1, 'x', null]);
    expect(parseJson('{}')).toEqual(new JsonObject([], []));
    expect(parseJson('[]')).toEqual([]);
  });

  test('content after the first value is ignored, as Jackson readTree', () => {
    expect(parseJson('1 2')).toBe(1);
    expect(parseJson('{"a":1}garbage')).toEqual(new JsonObject(['a'], [1]));
  });

  test('non-BMP characters and escaped surrogate pairs', () => {
    expect(parseJson('"😀"')).toBe('😀');
    expect(parseJson('"\\uD83D\\uDE00"')).toBe('😀');
  });

  test.each(['', '   ', '{', '[1,', '{"a" 1}', '{a:1}', '01', '1.', '1e', '-', 'tru', 'truex', 'nul', '"a', '"\t"', "'a'", 'NaN', '[1 2]', '"\\x"'])(
    'rejects %j',
    (text) => {
      expect(() => parseJson(text)).toThrow(JsonSyntaxError);
    },
  );

  test('deep nesting is a syntax error, not a crash', () => {
    expect(() => parseJson('['.repeat(200000))).toThrow(JsonSyntaxError);
  });

  test('agrees with JSON.parse on random documents (modulo number representation)', () => {
    const normalize = (v: unknown): unknown => {
      if (v instanceof JsonNumber) return Number(v.text);
      if (v instanceof JsonObject) {
        const out: Record<string, unknown> = {};
        v.keys.forEach((k, i) => {
          out[k] = normalize(v.values[i]);
        });
        return out;
      }
      if (Array.isArray(v)) return v.map(normalize);
      return v;
    };
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(normalize(parseJson(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('writing', () => {
  test('quoteJson escapes as Jackson UTF-8 generator', () => {
    expect(quoteJson('plain')).toBe('"plain"');
    expect(quoteJson('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteJson('\b\t\n\f\r')).toBe('"\\b\\t\\n\\f\\r"');
    expect(quoteJson('\u0001\u001f')).toBe('"\\u0001\\u001F"');
    expect(quoteJson('é/\u007f')).toBe('"é/\u007f"');
    expect(quoteJson('😀')).toBe('"\\uD83D\\uDE00"');
  });

  test('quoteJsonChars keeps surrogates (character-based generator)', () => {
    expect(quoteJsonChars('😀"')).toBe('"😀\\""');
  });

  test.each([
    [1, '1.0'],
    [-1, '-1.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [1.5, '1.5'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [1e7, '1.0E7'],
    [9999999, '9999999.0'],
    [123456789.5, '1.234567895E8'],
    [9876.54321, '9876.54321'],
    [NaN, '"NaN"'],
    [Infinity, '"Infinity"'],
    [-Infinity, '"-Infinity"'],
    [4.9e-324, '4.9E-324'],
  ])('formatJsonDouble(%p) = %s', (d, expected) => {
    expect(formatJsonDouble(d)).toBe(expected);
  });

  test('formatJsonDouble matches Java Double.toString for every finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(formatJsonDouble(d)).toBe(formatDouble(d));
      }),
      { numRuns: 2000 },
    );
  });

  test('decimals keep their scale, BigDecimal.toString style', () => {
    expect(formatJsonDecimal(Decimal.parse('1.50'))).toBe('1.50');
    expect(formatJsonDecimal(Decimal.parse('10.0000'))).toBe('10.0000');
    expect(formatJsonDecimal(Decimal.parse('0.000000001'))).toBe('1E-9');
  });

  test('writeJsonValue re-serializes a parsed tree compactly (ksqlDB STRING from object)', () => {
    expect(writeJsonValue(parseJson('{ "a" : 1.50, "b": [true, null, "x"], "a": 2, "c": {"d": 1e2} }'))).toBe(
      '{"a":2,"b":[true,null,"x"],"c":{"d":1E+2}}',
    );
  });
});
