import { formatIdentifier, formatType, typesEqual } from '../../src/schema/format.js';
import {
  BIGINT,
  BOOLEAN,
  BYTES,
  DATE,
  DOUBLE,
  INTEGER,
  STRING,
  TIME,
  TIMESTAMP,
  array,
  decimal,
  field,
  map,
  struct,
  type SqlType,
} from '../../src/schema/types.js';

describe('formatType', () => {
  test.each([
    [BOOLEAN, 'BOOLEAN'],
    [INTEGER, 'INTEGER'],
    [BIGINT, 'BIGINT'],
    [DOUBLE, 'DOUBLE'],
    [STRING, 'STRING'],
    [BYTES, 'BYTES'],
    [DATE, 'DATE'],
    [TIME, 'TIME'],
    [TIMESTAMP, 'TIMESTAMP'],
    [decimal(4, 2), 'DECIMAL(4, 2)'],
    [array(STRING), 'ARRAY<STRING>'],
    [map(STRING, INTEGER), 'MAP<STRING, INTEGER>'],
    [array(map(INTEGER, DOUBLE)), 'ARRAY<MAP<INTEGER, DOUBLE>>'],
  ] as [SqlType, string][])('%j', (type, text) => {
    expect(formatType(type)).toBe(text);
  });

  const s = struct([field('A', INTEGER), field('b', STRING)]);

  test('struct fields are back-quoted by default, as ksqlDB error messages show them', () => {
    expect(formatType(s)).toBe('STRUCT<`A` INTEGER, `b` STRING>');
    expect(formatType(array(struct([field('KEY', STRING), field('VALUE', BYTES)])))).toBe(
      'ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>>',
    );
  });

  test('quoting can be turned off or chosen per name', () => {
    expect(formatType(s, { quoteFields: false })).toBe('STRUCT<A INTEGER, b STRING>');
    expect(formatType(s, { quoteFields: (name) => name !== name.toUpperCase() })).toBe('STRUCT<A INTEGER, `b` STRING>');
    expect(formatType(struct([field('F', map(STRING, s))]), { quoteFields: false })).toBe(
      'STRUCT<F MAP<STRING, STRUCT<A INTEGER, b STRING>>>',
    );
  });

  test('an empty struct', () => {
    expect(formatType(struct([]))).toBe('STRUCT<>');
  });

  test('formatIdentifier doubles embedded back-quotes', () => {
    expect(formatIdentifier('a`b')).toBe('`a``b`');
    expect(formatIdentifier('ID', false)).toBe('ID');
  });
});

describe('typesEqual', () => {
  test('primitive and parameterised types', () => {
    expect(typesEqual(INTEGER, { kind: 'INTEGER' })).toBe(true);
    expect(typesEqual(INTEGER, BIGINT)).toBe(false);
    expect(typesEqual(decimal(4, 2), decimal(4, 2))).toBe(true);
    expect(typesEqual(decimal(4, 2), decimal(5, 2))).toBe(false);
    expect(typesEqual(decimal(4, 2), DOUBLE)).toBe(false);
    expect(typesEqual(array(INTEGER), array(INTEGER))).toBe(true);
    expect(typesEqual(array(INTEGER), array(BIGINT))).toBe(false);
    expect(typesEqual(map(STRING, INTEGER), map(STRING, INTEGER))).toBe(true);
    expect(typesEqual(map(STRING, INTEGER), map(INTEGER, INTEGER))).toBe(false);
  });

  test('structs compare field names case-sensitively and in order', () => {
    const ab = struct([field('A', INTEGER), field('B', STRING)]);
    expect(typesEqual(ab, struct([field('A', INTEGER), field('B', STRING)]))).toBe(true);
    expect(typesEqual(ab, struct([field('B', STRING), field('A', INTEGER)]))).toBe(false);
    expect(typesEqual(ab, struct([field('a', INTEGER), field('B', STRING)]))).toBe(false);
    expect(typesEqual(ab, struct([field('A', INTEGER)]))).toBe(false);
    expect(typesEqual(ab, array(INTEGER))).toBe(false);
  });
});
