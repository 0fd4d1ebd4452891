import { SqlTypeError } from '../../src/schema/errors.js';
import {
  HEADERS_TYPE,
  LogicalSchema,
  formatColumn,
  formatSchema,
  isPseudoColumnName,
  isSystemColumnName,
  isWindowBoundName,
} from '../../src/schema/schema.js';
import { BIGINT, BYTES, INTEGER, STRING, array, decimal, field, struct } from '../../src/schema/types.js';

const stream = (): LogicalSchema =>
  LogicalSchema.builder().keyColumn('ID', BIGINT).valueColumn('NAME', STRING).valueColumn('AGE', INTEGER).build();

describe('building', () => {
  test('columns keep their namespace and per-namespace index', () => {
    const s = stream();
    expect(s.keyColumns).toEqual([{ name: 'ID', type: BIGINT, namespace: 'KEY', index: 0 }]);
    expect(s.valueColumns.map((c) => [c.name, c.index])).toEqual([
      ['NAME', 0],
      ['AGE', 1],
    ]);
    expect(s.headerColumns).toEqual([]);
    expect(s.columns().map((c) => c.name)).toEqual(['ID', 'NAME', 'AGE']);
  });

  test('key columns come first; the others keep their declared order', () => {
    const s = LogicalSchema.builder().valueColumn('V', INTEGER).keyColumn('K', INTEGER).build();
    expect(formatSchema(s)).toBe('`K` INTEGER KEY, `V` INTEGER');
    expect(s.keyColumns[0].index).toBe(0);
    expect(s.valueColumns[0].index).toBe(0);
  });

  test('bulk adders and asBuilder', () => {
    const s = LogicalSchema.builder()
      .keyColumns([{ name: 'K1', type: INTEGER }, { name: 'K2', type: STRING }])
      .valueColumns([{ name: 'V', type: BIGINT }])
      .headerColumns([{ name: 'H', headerKey: 'abc' }])
      .build();
    const extended = s.asBuilder().valueColumn('W', STRING).build();
    expect(formatSchema(extended)).toBe(
      "`K1` INTEGER KEY, `K2` STRING KEY, `V` BIGINT, `H` BYTES HEADER('abc'), `W` STRING",
    );
    expect(extended.findValueColumn('W')?.index).toBe(1);
    expect(formatSchema(s)).toBe("`K1` INTEGER KEY, `K2` STRING KEY, `V` BIGINT, `H` BYTES HEADER('abc')");
  });

  test('schemas and their columns are immutable', () => {
    const s = stream();
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.columns())).toBe(true);
    expect(Object.isFrozen(s.columns()[0])).toBe(true);
    expect(Object.isFrozen(s.valueColumns)).toBe(true);
  });

  test('duplicate names within a namespace are rejected with ksqlDB messages', () => {
    expect(() => LogicalSchema.builder().keyColumn('K', BIGINT).keyColumn('K', INTEGER)).toThrow(
      new SqlTypeError('Duplicate key columns found in schema: `K` INTEGER KEY'),
    );
    expect(() => LogicalSchema.builder().valueColumn('V', BIGINT).valueColumn('V', BIGINT)).toThrow(
      new SqlTypeError('Duplicate value columns found in schema: `V` BIGINT'),
    );
    expect(() => LogicalSchema.builder().headerColumn('H', 'a').headerColumn('H', 'b')).toThrow(
      /^Duplicate headers columns found in schema: `H` BYTES HEADER\('b'\)$/,
    );
    // The same name may appear in different namespaces (e.g. a key copied into the value).
    expect(() => LogicalSchema.builder().keyColumn('K', BIGINT).valueColumn('K', BIGINT).build()).not.toThrow();
  });

  test('header columns: typed by their form, one HEADERS column, distinct keys', () => {
    const s = LogicalSchema.builder().keyColumn('K', STRING).headerColumn('H').valueColumn('V', BIGINT).build();
    expect(s.headerColumns).toEqual([{ name: 'H', type: HEADERS_TYPE, namespace: 'HEADERS', index: 0 }]);
    expect(() => LogicalSchema.builder().headerColumn('H').headerColumn('H2', 'x')).toThrow(
      'Schema already contains a HEADERS column.',
    );
    expect(() => LogicalSchema.builder().headerColumn('A', 'x').headerColumn('B', 'x')).toThrow(
      "Schema already contains a HEADER('x') column.",
    );
    const two = LogicalSchema.builder().headerColumn('H1', 'abc').headerColumn('H2', 'def').build();
    expect(two.headerColumns.map((c) => [c.name, c.type, c.index, c.headerKey])).toEqual([
      ['H1', BYTES, 0, 'abc'],
      ['H2', BYTES, 1, 'def'],
    ]);
  });
});

describe('lookups', () => {
  const s = LogicalSchema.builder()
    .keyColumn('K', INTEGER)
    .valueColumn('V', STRING)
    .valueColumn('K', INTEGER)
    .headerColumn('H', 'h')
    .build();

  test('findColumn prefers KEY, then VALUE, then HEADERS', () => {
    expect(s.findColumn('K')?.namespace).toBe('KEY');
    expect(s.findColumn('V')?.namespace).toBe('VALUE');
    expect(s.findColumn('H')?.namespace).toBe('HEADERS');
    expect(s.findColumn('k')).toBeUndefined();
    expect(s.findColumn('X')).toBeUndefined();
  });

  test('per-namespace lookups and indexes', () => {
    expect(s.findValueColumn('K')?.index).toBe(1);
    expect(s.valueIndex('V')).toBe(0);
    expect(s.valueIndex('K')).toBe(1);
    expect(s.valueIndex('H')).toBe(-1);
    expect(s.keyIndex('K')).toBe(0);
    expect(s.keyIndex('V')).toBe(-1);
    expect(s.isKeyColumn('K')).toBe(true);
    expect(s.isKeyColumn('V')).toBe(false);
    expect(s.isHeaderColumn('H')).toBe(true);
    expect(s.findKeyColumn('K')?.type).toEqual(INTEGER);
    expect(s.findHeaderColumn('H')?.headerKey).toBe('h');
    expect(s.valueContainsAny(['X', 'V'])).toBe(true);
    expect(s.valueContainsAny(['H'])).toBe(false);
  });
});

describe('the schema a query sees', () => {
  test('adds pseudo-columns and copies of the keys to the value', () => {
    const s = stream().withPseudoAndKeyColsInValue(false);
    expect(formatSchema(s)).toBe(
      '`ID` BIGINT KEY, `NAME` STRING, `AGE` INTEGER, `ROWTIME` BIGINT, `ROWPARTITION` INTEGER, ' +
        '`ROWOFFSET` BIGINT, `ID` BIGINT',
    );
    expect(s.valueColumns.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.findColumn('ID')?.namespace).toBe('KEY');
    expect(s.valueIndex('ID')).toBe(5);
  });

  test('windowed sources also get WINDOWSTART and WINDOWEND', () => {
    const s = stream().withPseudoAndKeyColsInValue(true);
    expect(s.valueColumns.slice(-2).map((c) => `${c.name} ${c.type.kind}`)).toEqual([
      'WINDOWSTART BIGINT',
      'WINDOWEND BIGINT',
    ]);
  });

  test('header columns stay in HEADERS and are also readable as values', () => {
    const s = LogicalSchema.builder()
      .keyColumn('K', STRING)
      .valueColumn('V', BIGINT)
      .headerColumn('H1', 'abc')
      .build()
      .withPseudoAndKeyColsInValue(false);
    expect(formatSchema(s)).toBe(
      "`K` STRING KEY, `V` BIGINT, `H1` BYTES HEADER('abc'), `H1` BYTES, `ROWTIME` BIGINT, " +
        '`ROWPARTITION` INTEGER, `ROWOFFSET` BIGINT, `K` STRING',
    );
  });

  test('is idempotent, and can be undone', () => {
    const source = LogicalSchema.builder().keyColumn('K', STRING).valueColumn('V', BIGINT).headerColumn('H').build();
    const once = source.withPseudoAndKeyColsInValue(true);
    expect(once.withPseudoAndKeyColsInValue(true).equals(once)).toBe(true);
    expect(formatSchema(once.withoutPseudoAndKeyColsInValue())).toBe(
      '`K` STRING KEY, `H` ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS, `V` BIGINT',
    );
  });

  test('ROWPARTITION and ROWOFFSET can be left out', () => {
    const s = stream().withPseudoAndKeyColsInValue(false, { rowPartitionAndOffset: false });
    expect(s.valueColumns.map((c) => c.name)).toEqual(['NAME', 'AGE', 'ROWTIME', 'ID']);
  });

  test('withKeyColsOnly', () => {
    expect(formatSchema(stream().withKeyColsOnly())).toBe('`ID` BIGINT KEY, `ID` BIGINT');
  });

  test('system column names', () => {
    expect(['ROWTIME', 'ROWPARTITION', 'ROWOFFSET'].every((n) => isPseudoColumnName(n))).toBe(true);
    expect(isPseudoColumnName('ROWPARTITION', { rowPartitionAndOffset: false })).toBe(false);
    expect(isWindowBoundName('WINDOWSTART') && isWindowBoundName('WINDOWEND')).toBe(true);
    expect(isSystemColumnName('WINDOWEND')).toBe(true);
    expect(isSystemColumnName('ROWKEY')).toBe(false);
    expect(isSystemColumnName('rowtime')).toBe(false);
  });
});

describe('comparing schemas', () => {
  test('equals compares names, namespaces, order and types', () => {
    expect(stream().equals(stream())).toBe(true);
    const other = LogicalSchema.builder().keyColumn('ID', BIGINT).valueColumn('NAME', STRING).build();
    expect(stream().equals(other)).toBe(false);
    const retyped = LogicalSchema.builder()
      .keyColumn('ID', BIGINT)
      .valueColumn('NAME', STRING)
      .valueColumn('AGE', BIGINT)
      .build();
    expect(stream().equals(retyped)).toBe(false);
  });

  test('compatibleSchema allows widening of types in the same slots', () => {
    const narrow = LogicalSchema.builder().keyColumn('K', INTEGER).valueColumn('D', decimal(4, 2)).build();
    const wide = LogicalSchema.builder().keyColumn('K', BIGINT).valueColumn('D', decimal(6, 3)).build();
    expect(narrow.compatibleSchema(wide)).toBe(true);
    expect(wide.compatibleSchema(narrow)).toBe(false);
    const renamed = LogicalSchema.builder().keyColumn('K', INTEGER).valueColumn('E', decimal(4, 2)).build();
    expect(narrow.compatibleSchema(renamed)).toBe(false);
  });
});

describe('formatSchema', () => {
  test('the post-condition form: back-quoted names, KEY suffix', () => {
    expect(formatSchema(stream())).toBe('`ID` BIGINT KEY, `NAME` STRING, `AGE` INTEGER');
    expect(stream().toString()).toBe('`ID` BIGINT KEY, `NAME` STRING, `AGE` INTEGER');
  });

  test('tables can print PRIMARY KEY; quoting can be turned off', () => {
    expect(formatSchema(stream(), { primaryKey: true, quoteNames: false })).toBe(
      'ID BIGINT PRIMARY KEY, NAME STRING, AGE INTEGER',
    );
  });

  test('struct fields follow quoteFields; header keys are SQL-quoted', () => {
    const s = LogicalSchema.builder()
      .keyColumn('ROWKEY', struct([field('A', INTEGER), field('B', INTEGER)]))
      .headerColumn('H', "it's")
      .valueColumn('C', array(STRING))
      .build();
    expect(formatSchema(s)).toBe(
      "`ROWKEY` STRUCT<`A` INTEGER, `B` INTEGER> KEY, `H` BYTES HEADER('it''s'), `C` ARRAY<STRING>",
    );
    expect(formatSchema(s, { quoteFields: false, quoteNames: false })).toBe(
      "ROWKEY STRUCT<A INTEGER, B INTEGER> KEY, H BYTES HEADER('it''s'), C ARRAY<STRING>",
    );
  });

  test('formatColumn of a HEADERS column', () => {
    const [h] = LogicalSchema.builder().headerColumn('HDRS').build().headerColumns;
    expect(formatColumn(h)).toBe('`HDRS` ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS');
  });

  test('an empty schema', () => {
    expect(formatSchema(LogicalSchema.EMPTY)).toBe('');
    expect(LogicalSchema.EMPTY.columns()).toEqual([]);
  });
});
