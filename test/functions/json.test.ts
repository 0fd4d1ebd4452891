import { FunctionValueError } from '../../src/functions/index.js';
import { Decimal } from '../../src/schema/index.js';
import { bytes, fn, resolve, t } from './calls.js';

function orNull(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (e instanceof FunctionValueError) return null;
    throw e;
  }
}

describe('EXTRACTJSONFIELD (extract-json-field.json)', () => {
  const extract = fn('EXTRACTJSONFIELD', 'STRING', 'STRING');
  it('extracts text values unquoted and others as JSON', () => {
    const doc = '{"name": "cdc", "version": "1", "@type": "UDF"}';
    expect(extract(doc, '$.name')).toBe('cdc');
    expect(extract(doc, '$.version')).toBe('1');
    expect(extract(doc, '$.@type')).toBe('UDF');
    expect(extract('{"log": {"cloud": "gcp", "instance": 4}}', '$.log')).toBe('{"cloud":"gcp","instance":4}');
    expect(extract('{"log": {"cloud": "gcp", "instance": 4}}', "$['log'].instance")).toBe('4');
  });

  it('ignores text after the first JSON value', () => {
    expect(extract('{"name": "cdd", "version": "2", "@type": "VAL"}}', '$.@type')).toBe('VAL');
  });

  it('indexes arrays and keeps number text exactly', () => {
    expect(extract('{"array": [1, 2, 3]}', '$.array[-1]')).toBeNull();
    expect(extract('{"array": [1, 2, 3]}', '$.array[0]')).toBe('1');
    expect(extract('{"array": [1, 2, 3]}', '$.array[1]')).toBe('2');
    expect(extract('{"array": [1.23450]}', '$.array[0]')).toBe('1.23450');
    expect(extract('{"array": [1.23450]}', '$.array[1]')).toBeNull();
  });

  it('returns NULL for missing paths and fails for invalid JSON', () => {
    expect(extract('{"a": 1}', '$.b')).toBeNull();
    expect(extract('{"a": 1}', '$.a.b')).toBeNull();
    expect(extract(null, '$.a')).toBeNull();
    expect(extract('', '$.a')).toBeNull();
    expect(orNull(() => extract('{"a": ', '$.a'))).toBeNull();
  });
});

describe('IS_JSON_STRING (is_json_string.json)', () => {
  it('accepts any JSON value', () => {
    const isJson = fn('IS_JSON_STRING', 'STRING');
    expect(['1', '[1, 2, 3]', '"abc"', '{}', 'null'].map((s) => isJson(s))).toEqual([true, true, true, true, true]);
    expect(['abc', '', '{', '01', '1x', 'nullx'].map((s) => isJson(s))).toEqual([false, false, false, false, false, false]);
    expect(isJson(null)).toBe(false);
  });
});

describe('JSON_ARRAY_CONTAINS (json_array_contains.json)', () => {
  it('finds strings', () => {
    const contains = fn('JSON_ARRAY_CONTAINS', 'STRING', 'STRING');
    expect(contains('["Red", "Green"]', 'Pink')).toBe(false);
    expect(contains('["Pink", "Yellow", "Pink"]', 'Pink')).toBe(true);
    expect(contains('["Pink", null]', 'Pink')).toBe(true);
    expect(contains('{"Pink": 1}', 'Pink')).toBe(false);
    expect(contains('[1, "Pink"', 'Pink')).toBe(true);
    expect(contains('[1, 2', 'Pink')).toBe(false);
    expect(orNull(() => contains(null, 'Pink'))).toBeNull();
  });

  it('matches numbers by their JSON kind', () => {
    expect(fn('JSON_ARRAY_CONTAINS', 'STRING', 'INTEGER')('[1, 2, 3]', 3)).toBe(true);
    expect(fn('JSON_ARRAY_CONTAINS', 'STRING', 'INTEGER')('[1.0]', 1)).toBe(false);
    expect(fn('JSON_ARRAY_CONTAINS', 'STRING', 'BIGINT')('[10000000000]', 10000000000n)).toBe(true);
    expect(fn('JSON_ARRAY_CONTAINS', 'STRING', 'INTEGER')('[10000000000, 1]', 1)).toBe(false);
    expect(fn('JSON_ARRAY_CONTAINS', 'STRING', 'DOUBLE')('[1, 2.5]', 2.5)).toBe(true);
    expect(fn('JSON_ARRAY_CONTAINS', 'STRING', 'DOUBLE')('[1]', 1)).toBe(false);
    expect(fn('JSON_ARRAY_CONTAINS', 'STRING', 'BOOLEAN')('[true]', true)).toBe(true);
    expect(fn('JSON_ARRAY_CONTAINS', 'STRING', 'STRING')('[null]', null)).toBe(true);
    expect(fn('JSON_ARRAY_CONTAINS', 'STRING', 'STRING')('[1]', null)).toBe(false);
  });
});

describe('JSON_ARRAY_LENGTH, JSON_KEYS, JSON_RECORDS, JSON_ITEMS', () => {
  it('measures top-level arrays (json_array_length.json)', () => {
    const length = fn('JSON_ARRAY_LENGTH', 'STRING');
    expect(length('["Red", "Green"]')).toBe(2);
    expect(length('[1, [1, [2]], 3]')).toBe(3);
    expect(length('[]')).toBe(0);
    expect(length('{}')).toBeNull();
    expect(length('123')).toBeNull();
    expect(length('')).toBeNull();
    expect(length(null)).toBeNull();
    expect(orNull(() => length('abc'))).toBeNull();
  });

  it('lists object keys (json_keys.json)', () => {
    const keys = fn('JSON_KEYS', 'STRING');
    expect(keys('{"Red": 3, "Green": 5}')).toEqual(['Red', 'Green']);
    expect(keys('{}')).toEqual([]);
    expect(keys('[]')).toBeNull();
    expect(keys('')).toBeNull();
    expect(keys(null)).toBeNull();
  });

  it('maps object entries to text (json_records.json)', () => {
    const records = fn('JSON_RECORDS', 'STRING');
    expect(records('{"Red": 3, "Green": 5}')).toEqual(new Map([['Red', '3'], ['Green', '5']]));
    expect(records('{"White": "Seven"}')).toEqual(new Map([['White', 'Seven']]));
    expect(records('{"a": {"c": "a"}, "d": [1, null]}')).toEqual(new Map([['a', '{"c":"a"}'], ['d', '[1,null]']]));
    expect(records('{}')).toEqual(new Map());
    expect(records('[]')).toBeNull();
    expect(records('')).toBeNull();
  });

  it('splits an array of objects (json_items.json)', () => {
    const items = fn('JSON_ITEMS', 'STRING');
    expect(items('[{"type": "A", "timestamp": "2022-01-27"}, {"type": "B", "timestamp": "2022-05-18"}]')).toEqual([
      '{"type":"A","timestamp":"2022-01-27"}',
      '{"type":"B","timestamp":"2022-05-18"}',
    ]);
    expect(items('[]')).toEqual([]);
    expect(items('[{"a": 1}, 2]')).toBeNull();
  });
});

describe('JSON_CONCAT (json_concat.json)', () => {
  const concat = fn('JSON_CONCAT', 'STRING', 'STRING', 'STRING');
  it.each([
    ['{"a": 1}', '{"b": 2}', '{"c": 3}', '{"a":1,"b":2,"c":3}'],
    ['{}', '{}', '{}', '{}'],
    ['{"a": {"5": 6}}', '{"a": {"3": 4}}', '{"a": {"7": 8}}', '{"a":{"7":8}}'],
    ['[1, 2]', '[3, 4]', '[5, 6]', '[1,2,3,4,5,6]'],
    ['null', 'null', 'null', '[null,null,null]'],
    ['[1, 2]', '{"a": 1}', '4', '[1,2,{"a":1},4]'],
    ['[]', '[]', '[]', '[]'],
    ['1', '', '2', null],
    ['', '1', '1', null],
    ['', '', '', null],
    [null, null, null, null],
  ])('%j %j %j', (a, b, c, expected) => {
    expect(concat(a, b, c)).toBe(expected);
  });

  it('writes decimals plainly', () => {
    expect(fn('JSON_CONCAT', 'STRING', 'STRING')('[1.5e3]', '[2.50]')).toBe('[1500,2.50]');
  });
});

describe('TO_JSON_STRING (to_json_string.json)', () => {
  it('serializes primitives', () => {
    expect(fn('TO_JSON_STRING', 'INTEGER')(1)).toBe('1');
    expect(fn('TO_JSON_STRING', 'INTEGER')(null)).toBe('null');
    expect(fn('TO_JSON_STRING', 'STRING')('abc')).toBe('"abc"');
    expect(fn('TO_JSON_STRING', 'STRING')('a"b\\\n\u0001')).toBe('"a\\"b\\\\\\n\\u0001"');
    expect(fn('TO_JSON_STRING', 'BOOLEAN')(true)).toBe('true');
    expect(fn('TO_JSON_STRING', 'BYTES')(bytes('IQ=='))).toBe('"IQ=="');
    expect(fn('TO_JSON_STRING', 'TIME')(60220000)).toBe('"16:43:40"');
    expect(fn('TO_JSON_STRING', 'DATE')(18911)).toBe('"2021-10-11"');
    expect(fn('TO_JSON_STRING', 'TIMESTAMP')(1625055519446)).toBe('"2021-06-30T12:18:39.446"');
    expect(fn('TO_JSON_STRING', 'DOUBLE')(15.3)).toBe('15.3');
    expect(fn('TO_JSON_STRING', 'DOUBLE')(1e21)).toBe('1.0E21');
    expect(fn('TO_JSON_STRING', 'BIGINT')(9007199254740993n)).toBe('9007199254740993');
    expect(fn('TO_JSON_STRING', 'DECIMAL(4, 2)')(Decimal.parse('1.50'))).toBe('1.50');
  });

  it('serializes collections, with sorted struct fields and map keys', () => {
    expect(fn('TO_JSON_STRING', 'ARRAY<INTEGER>')([1, 2, 3])).toBe('[1,2,3]');
    expect(fn('TO_JSON_STRING', 'STRUCT<ID INTEGER, NAME STRING>')({ ID: 1, NAME: 'Alice' })).toBe('{"ID":1,"NAME":"Alice"}');
    expect(fn('TO_JSON_STRING', 'STRUCT<B INTEGER, A STRING>')({ B: null })).toBe('{"A":null,"B":null}');
    expect(fn('TO_JSON_STRING', 'MAP<STRING, INTEGER>')(new Map([['id', 1]]))).toBe('{"id":1}');
    expect(fn('TO_JSON_STRING', 'MAP<STRING, ARRAY<INTEGER>>')(new Map([['id', [1, 2, 3]]]))).toBe('{"id":[1,2,3]}');
    expect(fn('TO_JSON_STRING', 'MAP<STRING, INTEGER>')(new Map([['d', 4], ['c', 2]]))).toBe('{"c":2,"d":4}');
  });

  it('accepts a bare NULL', () => {
    expect(resolve('TO_JSON_STRING', null).returnType).toEqual(t('STRING'));
    expect(fn('TO_JSON_STRING', null)(null)).toBe('null');
  });
});
