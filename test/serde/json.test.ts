import {
  BIGINT,
  BOOLEAN,
  BYTES,
  DATE,
  DOUBLE,
  Decimal,
  INTEGER,
  STRING,
  TIME,
  TIMESTAMP,
  array,
  decimal,
  field,
  formatType,
  map,
  struct,
  type SqlType,
} from '../../src/schema/index.js';
import { DeserializationError, SerdeConfigError, SerializationError, createEmbeddedRegistry } from '../../src/serde/index.js';
import { col, hex, serde, text, utf8 } from './helpers.js';

const json = (columns: ReturnType<typeof col>[], extra: { isKey?: boolean; wrapSingle?: boolean } = {}) =>
  serde({ format: 'JSON', columns, ...extra });

/** Deserialize one JSON text into a single column of `type`. */
async function read(type: SqlType, jsonText: string): Promise<unknown> {
  const s = await json([col('V', type)], { wrapSingle: false });
  const row = s.deserialize(utf8(jsonText), 't');
  return row === null ? null : row[0];
}

async function write(type: SqlType, value: unknown): Promise<string | null> {
  const s = await json([col('V', type)], { wrapSingle: false });
  return text(s.serialize([value], 't'));
}

describe('JSON values: wrapped rows', () => {
  const columns = [col('ID', BIGINT), col('NAME', STRING), col('SCORE', DOUBLE), col('OK', BOOLEAN), col('D', decimal(4, 2))];

  test('writes an object keyed by column name, in column order, nulls included', async () => {
    const s = await json(columns);
    const bytes = s.serialize([1n, 'a', 1, true, Decimal.parse('1.50')], 't');
    expect(text(bytes)).toBe('{"ID":1,"NAME":"a","SCORE":1.0,"OK":true,"D":1.50}');
    expect(text(s.serialize([null, null, null, null, null], 't'))).toBe(
      '{"ID":null,"NAME":null,"SCORE":null,"OK":null,"D":null}',
    );
  });

  test('reads fields case-insensitively: exact name first, then upper-cased', async () => {
    const s = await json(columns);
    expect(s.deserialize(utf8('{"id": 7, "Name": "x", "score": 2.5, "ok": false, "d": 3}'), 't')).toEqual([
      7n,
      'x',
      2.5,
      false,
      Decimal.parse('3.00'),
    ]);
    // An exact match wins over an upper-cased one, wherever it appears.
    const one = await json([col('A', INTEGER)]);
    expect(one.deserialize(utf8('{"a": 1, "A": 2}'), 't')).toEqual([2]);
    expect(one.deserialize(utf8('{"A": 2, "a": 1}'), 't')).toEqual([2]);
    // Quoted lower-case names only match exactly.
    const quoted = await json([col('lower', INTEGER)]);
    expect(quoted.deserialize(utf8('{"LOWER": 1}'), 't')).toEqual([null]);
    expect(quoted.deserialize(utf8('{"lower": 1}'), 't')).toEqual([1]);
  });

  test('records that list their keys in another order, escape them or repeat them read the same', async () => {
    // The reader remembers where each name stood in the last record; every record is still read whole.
    const s = await json([col('A', INTEGER), col('B', STRING), col('C', DOUBLE)]);
    const rows = [
      '{"A": 1, "B": "x", "C": 1.5}',
      '{"C": 2.5, "A": 2, "B": "y"}',
      '{"B": "z", "X": {"A": 9}, "A": 3}',
      '{"\\u0041": 4, "B": "w", "B": "v"}',
      '{"AB": 5, "A": 6, "b": "u"}',
      '{}',
      '{"A": 7, "B": "t", "C": 3.5}',
    ];
    expect(rows.map((r) => s.deserialize(utf8(r), 't'))).toEqual([
      [1, 'x', 1.5],
      [2, 'y', 2.5],
      [3, 'z', null],
      [4, 'v', null],
      [6, 'u', null],
      [null, null, null],
      [7, 't', 3.5],
    ]);
    // An entry no column wants is still checked; content after the object is ignored.
    expect(() => s.deserialize(utf8('{"A": 1, "X": [1,}'), 't')).toThrow(DeserializationError);
    expect(() => s.deserialize(utf8('{"A" 1}'), 't')).toThrow(/was expecting a colon/);
    expect(s.deserialize(utf8('{"A": 1} trailing'), 't')).toEqual([1, null, null]);
    expect(() => s.deserialize(utf8('[1, 2]'), 't')).toThrow(DeserializationError);
    expect(() => s.deserialize(utf8(''), 't')).toThrow(/No content/);
  });

  test('missing fields are null; extra fields ignored; JSON null is a null row', async () => {
    const s = await json(columns);
    expect(s.deserialize(utf8('{"OTHER": 1}'), 't')).toEqual([null, null, null, null, null]);
    expect(s.deserialize(utf8('null'), 't')).toBeNull();
    expect(s.deserialize(null, 't')).toBeNull();
    expect(s.serialize(null, 't')).toBeNull();
  });

  test('a non-object for a wrapped row fails with ksqlDB text', async () => {
    const s = await json([col('A', INTEGER)]);
    expect(() => s.deserialize(utf8('1'), 'topic1')).toThrow(DeserializationError);
    expect(() => s.deserialize(utf8('1'), 'topic1')).toThrow(
      "Failed to deserialize value from topic: topic1. Can't convert type. sourceType: IntNode, requiredType: STRUCT<A INTEGER>, path: $",
    );
  });

  test('errors carry the path of the failing field', async () => {
    const s = await json([col('S', struct([field('ARR', array(INTEGER))]))]);
    expect(() => s.deserialize(utf8('{"S": {"arr": [1, "x"]}}'), 't')).toThrow(
      "Can't coerce string to type. targetType: INTEGER, path: $.S.ARR[1]",
    );
  });

  test('invalid JSON is a deserialization error', async () => {
    const s = await json(columns);
    expect(() => s.deserialize(utf8('{"ID": '), 't')).toThrow(DeserializationError);
    expect(() => s.deserialize(Uint8Array.of(0x7b, 0xff), 't')).toThrow(DeserializationError);
  });
});

describe('JSON: single values', () => {
  test('values are wrapped by default, keys bare', async () => {
    const value = await json([col('FOO', INTEGER)]);
    expect(text(value.serialize([10], 't'))).toBe('{"FOO":10}');
    const key = await json([col('K', STRING)], { isKey: true });
    expect(text(key.serialize(['hello'], 't'))).toBe('"hello"');
    expect(key.deserialize(utf8('"hello"'), 't')).toEqual(['hello']);
  });

  test('unwrapped: the bare value; null value is a null record', async () => {
    const s = await json([col('FOO', BOOLEAN)], { wrapSingle: false });
    expect(text(s.serialize([true], 't'))).toBe('true');
    expect(s.serialize([null], 't')).toBeNull();
    expect(s.deserialize(utf8('true'), 't')).toEqual([true]);
    expect(s.deserialize(utf8('null'), 't')).toBeNull();
  });

  test('multi-column keys are objects', async () => {
    const s = await json([col('K1', STRING), col('K2', INTEGER)], { isKey: true });
    expect(text(s.serialize(['a', 1], 't'))).toBe('{"K1":"a","K2":1}');
    expect(s.deserialize(utf8('{"k1":"a","k2":"1"}'), 't')).toEqual(['a', 1]);
  });

  test('a key with no columns is always null', async () => {
    const s = await json([], { isKey: true });
    expect(s.serialize([], 't')).toBeNull();
    expect(s.deserialize(utf8('"ignored"'), 't')).toBeNull();
  });
});

describe('JSON reading: ksqlDB coercions', () => {
  test.each(([
    [BOOLEAN, 'true', true],
    [INTEGER, '1', 1],
    [INTEGER, '"1"', 1],
    [INTEGER, '"+7"', 7],
    [INTEGER, '1.9', 1],
    [INTEGER, '-1.9', -1],
    [INTEGER, '4294967297', 1],
    [INTEGER, '1e2', 100],
    [BIGINT, '1', 1n],
    [BIGINT, '"-12"', -12n],
    [BIGINT, '9223372036854775807', 9223372036854775807n],
    [BIGINT, '998877665544332211', 998877665544332211n],
    [BIGINT, '18446744073709551617', 1n],
    [BIGINT, '1.5', 1n],
    [DOUBLE, '1', 1],
    [DOUBLE, '1.25', 1.25],
    [DOUBLE, '"1.5"', 1.5],
    [DOUBLE, '" 2 "', 2],
    [DOUBLE, '"NaN"', NaN],
    [STRING, '"x"', 'x'],
    [STRING, '10', '10'],
    [STRING, '1.50', '1.50'],
    [STRING, '1e2', '1E+2'],
    [STRING, '0.0000001', '1E-7'],
    [STRING, '12345678901234567890', '12345678901234567890'],
    [STRING, 'true', 'true'],
    [STRING, '{"a": 1, "b": "c"}', '{"a":1,"b":"c"}'],
    [STRING, '[1, "a", null, {"x": 1}]', '[1, a, null, {"x":1}]'],
    [decimal(4, 2), '12.3', Decimal.parse('12.30')],
    [decimal(4, 2), '"12.3"', Decimal.parse('12.30')],
    [decimal(4, 2), '12', Decimal.parse('12.00')],
    [decimal(21, 19), '10.123451234512345', Decimal.parse('10.1234512345123450000')],
    [decimal(33, 16), '12345678987654321.2345678987654321', Decimal.parse('12345678987654321.2345678987654321')],
    [BYTES, '"dmFyaWF0aW9ucw=="', Uint8Array.from(Buffer.from('variations'))],
    [TIMESTAMP, '1600000000123', 1600000000123],
    [TIMESTAMP, '"10"', 10],
    [DATE, '18000', 18000],
    [DATE, '"-10"', -10],
    [TIME, '4000', 4000],
    [array(STRING), '[1, 2, 3]', ['1', '2', '3']],
    [array(INTEGER), '[1, null]', [1, null]],
    [map(STRING, INTEGER), '{"a": 1, "b": "2", "c": null}', new Map<string, unknown>([['a', 1], ['b', 2], ['c', null]])],
    [struct([field('A', DOUBLE), field('b', STRING)]), '{"a": 45.67, "b": "x", "B": "y"}', { A: 45.67, b: 'x' }],
    [struct([field('A', INTEGER)]), '{}', { A: null }],
  ] as [SqlType, string, unknown][]).map(([type, input, expected]) => [formatType(type), type, input, expected] as const))('%s <- %s', async (_name, type, input, expected) => {
    expect(await read(type, input)).toEqual(expected);
  });

  test.each(([
    [BOOLEAN, '"true"', "Can't convert type. sourceType: TextNode, requiredType: BOOLEAN"],
    [BOOLEAN, '1', "Can't convert type. sourceType: IntNode, requiredType: BOOLEAN"],
    [INTEGER, '"1.0"', "Can't coerce string to type. targetType: INTEGER"],
    [INTEGER, '" 1"', "Can't coerce string to type. targetType: INTEGER"],
    [INTEGER, '"2147483648"', "Can't coerce string to type. targetType: INTEGER"],
    [INTEGER, 'true', "Can't convert type. sourceType: BooleanNode, requiredType: INTEGER"],
    [BIGINT, '[1]', "Can't convert type. sourceType: ArrayNode, requiredType: BIGINT"],
    [DOUBLE, '"x"', "Can't coerce string to type. targetType: DOUBLE"],
    [DOUBLE, '{}', "Can't convert type. sourceType: ObjectNode, requiredType: DOUBLE"],
    [decimal(4, 2), '123.4', 'Numeric field overflow'],
    [decimal(4, 2), '1.234', 'without rounding'],
    [decimal(4, 2), 'true', "Can't convert type. sourceType: BooleanNode, requiredType: DECIMAL(4, 2)"],
    [BYTES, '"!!"', 'Value is not a valid Base64 encoded string: !!'],
    [BYTES, '1', "Can't convert type. sourceType: IntNode, requiredType: BYTES"],
    [TIME, '86400000', 'Time values must use number of milliseconds'],
    [TIMESTAMP, '"2020-01-01"', "Can't coerce string to type. targetType: TIMESTAMP"],
    [array(INTEGER), '{}', "Can't convert type. sourceType: ObjectNode, requiredType: ARRAY<INTEGER>"],
    [map(STRING, INTEGER), '[]', "Can't convert type. sourceType: ArrayNode, requiredType: MAP<STRING, INTEGER>"],
    [map(STRING, INTEGER), '{"k": "x"}', 'path: $.k.value'],
    [struct([field('A', INTEGER)]), '"s"', "Can't convert type. sourceType: TextNode, requiredType: STRUCT<A INTEGER>"],
  ] as [SqlType, string, string][]).map(([type, input, message]) => [formatType(type), type, input, message] as const))('%s <- %s fails', async (_name, type, input, message) => {
    await expect(read(type, input)).rejects.toThrow(message);
  });

  test('reading a large BIGINT keeps every digit past 2^53', async () => {
    const s = await json([col('V', BIGINT)]);
    expect(s.deserialize(utf8('{"V": 9007199254740993}'), 't')).toEqual([9007199254740993n]);
  });
});

describe('JSON writing: as ksqlDB writes', () => {
  test.each(([
    [BOOLEAN, false, 'false'],
    [INTEGER, -5, '-5'],
    [BIGINT, 9007199254740993n, '9007199254740993'],
    [BIGINT, -9223372036854775808n, '-9223372036854775808'],
    [DOUBLE, 1, '1.0'],
    [DOUBLE, 9876.54321, '9876.54321'],
    [DOUBLE, 1e21, '1.0E21'],
    [DOUBLE, NaN, '"NaN"'],
    [decimal(6, 4), Decimal.parse('10.0000'), '10.0000'],
    [decimal(4, 2), Decimal.parse('-0.05'), '-0.05'],
    [decimal(10, 9), Decimal.parse('0.000000001'), '1E-9'],
    [STRING, 'say "hi"\n', '"say \\"hi\\"\\n"'],
    [STRING, 'é😀', '"é\\uD83D\\uDE00"'],
    [BYTES, Uint8Array.from(Buffer.from('variations')), '"dmFyaWF0aW9ucw=="'],
    [TIMESTAMP, 1600000000123, '1600000000123'],
    [DATE, 18000, '18000'],
    [TIME, 4000, '4000'],
    [array(BIGINT), [12n, 34n, null], '[12,34,null]'],
    [map(STRING, DOUBLE), new Map<string, unknown>([['a', 1.1], ['c', null]]), '{"a":1.1,"c":null}'],
    [struct([field('F0', INTEGER), field('f1', STRING)]), { F0: 1 }, '{"F0":1,"f1":null}'],
  ] as [SqlType, unknown, string][]).map(([type, value, expected]) => [formatType(type), type, value, expected] as const))('%s %p -> %s', async (_name, type, value, expected) => {
    expect(await write(type, value)).toBe(expected);
  });

  test('the output is UTF-8', async () => {
    const s = await json([col('V', STRING)], { wrapSingle: false });
    expect(hex(s.serialize(['é'], 't'))).toBe('22c3a922');
  });

  test('a value of the wrong JS type is a serialization error', async () => {
    const s = await json([col('V', INTEGER)]);
    expect(() => s.serialize(['x'], 'out')).toThrow(SerializationError);
    expect(() => s.serialize(['x'], 'out')).toThrow('Failed to serialize value for topic: out.');
  });

  test('MAP keys must be STRING', async () => {
    await expect(json([col('M', map(INTEGER, DOUBLE))])).rejects.toThrow(
      new SerdeConfigError('JSON only supports MAP types with STRING keys'),
    );
  });
});

describe('JSON round trips', () => {
  const types: [SqlType, unknown][] = [
    [BOOLEAN, true],
    [INTEGER, -2147483648],
    [BIGINT, 2n ** 63n - 1n],
    [DOUBLE, 0.1 + 0.2],
    [DOUBLE, -1.5e-300],
    [decimal(38, 10), Decimal.parse('-1234567890123456789012345678.0123456789')],
    [STRING, 'x\u0000y\u2028"'],
    [BYTES, Uint8Array.of(0, 1, 254, 255)],
    [DATE, -719162],
    [TIME, 86399999],
    [TIMESTAMP, -1],
    [array(array(STRING)), [['a'], [], null]],
    [map(STRING, struct([field('X', BIGINT)])), new Map([['k', { X: 5n }]])],
    [struct([field('N', struct([field('D', decimal(5, 1))]))]), { N: { D: Decimal.parse('1234.5') } }],
  ];
  test.each(types.map(([type, value]) => [formatType(type), type, value] as const))('%s', async (_name, type, value) => {
    for (const wrapSingle of [true, false]) {
      const s = await json([col('V', type)], { wrapSingle });
      expect(s.deserialize(s.serialize([value], 't'), 't')).toEqual([value]);
    }
  });
});

describe('JSON_SR', () => {
  test('sinks register an optional-field object schema and frame with its id', async () => {
    const registry = createEmbeddedRegistry();
    const s = await serde({ format: 'JSON_SR', columns: [col('FOO', INTEGER)], registry, topic: 'OUTPUT' });
    const latest = await registry.getLatest('OUTPUT-value');
    expect(JSON.parse(latest.schema)).toEqual({
      type: 'object',
      properties: { FOO: { 'connect.index': 0, oneOf: [{ type: 'null' }, { type: 'integer', 'connect.type': 'int32' }] } },
    });
    expect(s.schemaId).toBe(latest.id);
    const bytes = s.serialize([10], 't')!;
    expect(hex(bytes.subarray(0, 5))).toBe('0000000001');
    expect(text(bytes.subarray(5))).toBe('{"FOO":10}');
    expect(s.deserialize(bytes, 't')).toEqual([10]);
  });

  test('keys register the optional root type', async () => {
    const registry = createEmbeddedRegistry();
    await serde({ format: 'JSON_SR', columns: [col('K', struct([field('F1', STRING)]))], registry, topic: 'OUTPUT', isKey: true });
    expect(JSON.parse((await registry.getLatest('OUTPUT-key')).schema)).toEqual({
      oneOf: [
        { type: 'null' },
        { type: 'object', properties: { F1: { 'connect.index': 0, oneOf: [{ type: 'null' }, { type: 'string' }] } } },
      ],
    });
  });

  test('reads any id, and refuses plain JSON', async () => {
    const s = await serde({ format: 'JSON_SR', columns: [col('FOO', INTEGER)], sink: false });
    expect(s.deserialize(Uint8Array.from([0, 0, 0, 0, 42, ...utf8('{"foo": "7"}')]), 't')).toEqual([7]);
    expect(() => s.deserialize(utf8('{"FOO": 1}'), 't')).toThrow('did not start with the magic byte');
    expect(() => s.serialize([1], 't')).toThrow(SerializationError);
  });

  test('with a schema id: writes by the registered schema, defaults for missing fields', async () => {
    const registry = createEmbeddedRegistry();
    const id = await registry.register('other-value', {
      schemaType: 'JSON',
      schema: JSON.stringify({
        type: 'object',
        properties: { extra: { type: 'string', default: 'foo' }, A: { type: 'integer' }, B: { type: 'string' } },
      }),
    });
    const s = await serde({
      format: 'JSON_SR',
      columns: [col('B', STRING), col('A', INTEGER)],
      registry,
      properties: { schemaId: String(id) },
    });
    expect(s.schemaId).toBe(id);
    expect(text(s.serialize(['x', 1], 't')!.subarray(5))).toBe('{"extra":"foo","A":1,"B":"x"}');
    await expect(
      serde({ format: 'JSON_SR', columns: [col('C', STRING)], registry, properties: { schemaId: String(id) } }),
    ).rejects.toThrow('Schema from Schema Registry misses field with name: C');
  });
});
