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
  formatType,
  type SqlType,
} from '../../src/schema/index.js';
import { DeserializationError, SerdeConfigError, parseDelimiter } from '../../src/serde/index.js';
import { parseFirstRecord, quoteField } from '../../src/serde/delimited.js';
import { col, serde, text, utf8 } from './helpers.js';

const delimited = (columns: ReturnType<typeof col>[], delimiter?: string, isKey = false) =>
  serde({ format: 'DELIMITED', columns, isKey, properties: delimiter === undefined ? {} : { delimiter } });

describe('DELIMITED', () => {
  const columns = [col('ID', BIGINT), col('NAME', STRING), col('VALUE', INTEGER)];

  test('reads and writes a CSV record', async () => {
    const s = await delimited(columns);
    expect(s.deserialize(utf8('0,zero,0'), 't')).toEqual([0n, 'zero', 0]);
    expect(text(s.serialize([100n, '100', 500], 't'))).toBe('100,100,500');
  });

  test('custom delimiters: one character, TAB, SPACE', async () => {
    expect(text((await delimited(columns, '$')).serialize([0n, 'zero', 0], 't'))).toBe('0$zero$0');
    expect((await delimited(columns, '|')).deserialize(utf8('0|zero|0'), 't')).toEqual([0n, 'zero', 0]);
    expect(text((await delimited(columns, 'TAB')).serialize([0n, 'zero', 0], 't'))).toBe('0\tzero\t0');
    expect((await delimited(columns, 'SPACE')).deserialize(utf8('0 100 100'), 't')).toEqual([0n, '100', 100]);
  });

  test.each([
    ['<~>', "Invalid delimiter value: '<~>'. Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'"],
    ['', 'Delimiter cannot be empty'],
    ['  ', 'Delimiter cannot be empty'],
  ])('delimiter %j is refused', (d, message) => {
    expect(() => parseDelimiter(d)).toThrow(SerdeConfigError);
    expect(() => parseDelimiter(d)).toThrow(message);
  });

  test('one whitespace character is taken as it is (the planner reads TAB and SPACE into it, and refuses it typed raw)', () => {
    expect(parseDelimiter('\t')).toBe('\t');
    expect(parseDelimiter(' ')).toBe(' ');
  });

  test('empty fields read as null; nulls write as empty fields', async () => {
    const s = await delimited(columns);
    expect(s.deserialize(utf8(',,'), 't')).toEqual([null, null, null]);
    expect(s.deserialize(utf8('1,"",2'), 't')).toEqual([1n, null, 2]);
    expect(text(s.serialize([null, null, null], 't'))).toBe(',,');
    expect(text(s.serialize([1n, null, 2], 't'))).toBe('1,,2');
  });

  test('quoted fields, doubled quotes, delimiters inside quotes', async () => {
    const s = await delimited([col('A', STRING), col('B', STRING)]);
    expect(s.deserialize(utf8('"a,b","say ""hi"""'), 't')).toEqual(['a,b', 'say "hi"']);
    expect(text(s.serialize(['a,b', 'say "hi"'], 't'))).toBe('"a,b","say ""hi"""');
    expect(s.deserialize(utf8('"x"  ,y'), 't')).toEqual(['x', 'y']);
    expect(s.deserialize(utf8('a"b,c'), 't')).toEqual(['a"b', 'c']);
    expect(() => s.deserialize(utf8('"x"z,y'), 't')).toThrow('invalid char between encapsulated token and delimiter');
    expect(() => s.deserialize(utf8('"x,y'), 't')).toThrow('EOF reached before encapsulated token finished');
  });

  test('only the first record counts; leading empty lines are skipped', async () => {
    const s = await delimited([col('A', STRING), col('B', STRING)]);
    expect(s.deserialize(utf8('a,b\r\nc,d'), 't')).toEqual(['a', 'b']);
    expect(s.deserialize(utf8('\n\na,b'), 't')).toEqual(['a', 'b']);
    expect(() => s.deserialize(utf8(''), 't')).toThrow('No fields in record');
  });

  test('field count must match', async () => {
    const s = await delimited(columns);
    expect(() => s.deserialize(utf8('1,2'), 'topic')).toThrow(DeserializationError);
    expect(() => s.deserialize(utf8('1,2'), 'topic')).toThrow('Column count mismatch on deserialization');
    expect(() => s.deserialize(utf8('1,2,3,'), 'topic')).toThrow('expected: 3, got: 4');
  });

  test('bad numbers fail as Integer.parseInt would', async () => {
    const s = await delimited([col('A', INTEGER)]);
    expect(() => s.deserialize(utf8('x'), 't')).toThrow('For input string: "x"');
    expect(() => s.deserialize(utf8(' 1'), 't')).toThrow('For input string');
  });

  test.each(([
    [BOOLEAN, 'TRUE', true, 'true'],
    [BOOLEAN, 'yes', false, 'false'],
    [INTEGER, '-5', -5, '"-5"'],
    [BIGINT, '9223372036854775807', 9223372036854775807n, '9223372036854775807'],
    [DOUBLE, '1', 1, '1.0'],
    [DOUBLE, '4.9E-324', 4.9e-324, '4.9E-324'],
    [decimal(33, 16), '12345678987654321.2345678987654321', Decimal.parse('12345678987654321.2345678987654321'), '12345678987654321.2345678987654321'],
    [decimal(33, 16), '.12', Decimal.parse('0.1200000000000000'), '0.1200000000000000'],
    [decimal(33, 16), '-12345.12', Decimal.parse('-12345.1200000000000000'), '"-12345.1200000000000000"'],
    [decimal(33, 16), '"-12345.12"', Decimal.parse('-12345.1200000000000000'), '"-12345.1200000000000000"'],
    [decimal(33, 16), '0', Decimal.parse('0.0000000000000000'), '0.0000000000000000'],
    [DATE, '-10', -10, '"-10"'],
    [TIME, '4000', 4000, '4000'],
    [TIMESTAMP, '1600000000000', 1600000000000, '1600000000000'],
    [BYTES, 'IQ==', Uint8Array.of(0x21), 'IQ=='],
    [STRING, '"true"', 'true', 'true'],
    [STRING, '" \t with white space \t"', ' \t with white space \t', '" \t with white space \t"'],
  ] as [SqlType, string, unknown, string][]).map(([type, input, value, output]) => [formatType(type), type, input, value, output] as const))('single %s column: %j', async (_name, type, input, value, output) => {
    const s = await delimited([col('V', type)]);
    const row = s.deserialize(utf8(input), 't');
    expect(row).toEqual([value]);
    expect(text(s.serialize(row, 't'))).toBe(output);
  });

  test('ksqlDB vectors: quoting depends on position', async () => {
    const s = await delimited([col('A', STRING), col('B', BYTES), col('C', STRING)]);
    expect(text(s.serialize(['!', Uint8Array.of(0x21), '!'], 't'))).toBe('"!",IQ==,"!"');
    expect(text(s.serialize(['#', Uint8Array.of(0x23), '#'], 't'))).toBe('"#",Iw==,"#"');
    const n = await delimited([col('A', INTEGER), col('B', INTEGER)]);
    expect(text(n.serialize([0, -2147483647], 't'))).toBe('0,-2147483647');
    expect(text(n.serialize([-1, 2], 't'))).toBe('"-1",2');
  });

  test('multi-column keys with a key delimiter', async () => {
    const s = await delimited([col('K1', STRING), col('K2', STRING)], ';', true);
    expect(s.deserialize(utf8('foo,bar;baz'), 't')).toEqual(['foo,bar', 'baz']);
  });

  test('an empty first string is quoted so that the record is not empty', async () => {
    const s = await delimited([col('A', STRING)]);
    expect(text(s.serialize([''], 't'))).toBe('""');
    expect(s.deserialize(utf8('""'), 't')).toEqual([null]);
  });

  test('ARRAY, MAP and STRUCT are refused', async () => {
    await expect(delimited([col('A', array(INTEGER))])).rejects.toThrow(
      "The 'DELIMITED' format does not support type 'ARRAY', column: `A`",
    );
  });
});

describe('Commons CSV rules', () => {
  test.each([
    ['abc', true, 'abc'],
    ['abc', false, 'abc'],
    ['-1', true, '"-1"'],
    ['-1', false, '-1'],
    ['.5', true, '".5"'],
    ['é', true, '"é"'],
    ['é', false, 'é'],
    [' a', false, '" a"'],
    ['a ', false, '"a "'],
    ['a\nb', false, '"a\nb"'],
    ['a"b', false, '"a""b"'],
    ['a,b', false, '"a,b"'],
    ['', false, ''],
    ['', true, '""'],
    ['$x', false, '$x'],
    ['#x', false, '"#x"'],
  ])('quoteField(%j, first=%s) = %s', (value, first, expected) => {
    expect(quoteField(value, 0x2c, first)).toBe(expected);
  });

  test('parseFirstRecord', () => {
    expect(parseFirstRecord('a,b,', 0x2c)).toEqual(['a', 'b', '']);
    expect(parseFirstRecord(',', 0x2c)).toEqual(['', '']);
    expect(parseFirstRecord('\r\n', 0x2c)).toBeUndefined();
    expect(parseFirstRecord(' ', 0x2c)).toEqual([' ']);
  });
});
