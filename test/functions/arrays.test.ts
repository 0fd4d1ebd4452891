import { compareDoubles, equalityKey, naturalOrder } from '../../src/functions/arrays.js';
import { FunctionValueError } from '../../src/functions/index.js';
import { Decimal } from '../../src/schema/index.js';
import { fn, resolve, t } from './calls.js';

const d = (text: string): Decimal => Decimal.parse(text);
const decimals = (...texts: (string | null)[]): (Decimal | null)[] => texts.map((x) => (x === null ? null : d(x)));
/** Decimals compared by their text, which keeps the scale. */
const texts = (values: unknown): unknown => (Array.isArray(values) ? values.map((v) => (v instanceof Decimal ? v.toString() : v)) : values);

describe('Java equality and order of values', () => {
  it('tells values apart as equals() does', () => {
    const dbl = equalityKey(t('DOUBLE'));
    expect(dbl(0)).not.toBe(dbl(-0));
    expect(dbl(NaN)).toBe(dbl(NaN));
    const dec = equalityKey(t('DECIMAL(3, 2)'));
    expect(dec(d('1.0'))).not.toBe(dec(d('1.00')));
    const map = equalityKey(t('MAP<STRING, INTEGER>'));
    expect(map(new Map([['a', 1], ['b', 2]]))).toBe(map(new Map([['b', 2], ['a', 1]])));
    const struct = equalityKey(t('STRUCT<A INTEGER, B STRING>'));
    expect(struct({ A: 1 })).toBe(struct({ A: 1, B: null }));
    expect(equalityKey(t('INTEGER'))(-0)).toBe(equalityKey(t('INTEGER'))(0));
  });

  it('orders values as Comparable does', () => {
    expect([0, -0, NaN, -1, Infinity].sort(compareDoubles)).toEqual([-1, -0, 0, Infinity, NaN]);
    expect(naturalOrder(t('STRING'))('B', 'a')).toBeLessThan(0);
    expect(naturalOrder(t('BYTES'))(Uint8Array.of(0x80), Uint8Array.of(0x01))).toBeLessThan(0);
    expect(naturalOrder(t('DECIMAL(3, 2)'))(d('1.5'), d('1.50'))).toBe(0);
    expect(() => naturalOrder(t('ARRAY<INTEGER>'))([1], [2])).toThrow('not comparable');
  });
});

describe('qtt: array-min-max-sort.json', () => {
  it('ARRAY_MAX skips nulls and returns null for an empty array', () => {
    expect(fn('array_max', 'ARRAY<BOOLEAN>')([false, true, false])).toBe(true);
    expect(fn('array_max', 'ARRAY<INTEGER>')([0, null, 1, 0, -1])).toBe(1);
    expect(fn('array_max', 'ARRAY<BIGINT>')([null, -123n, 345n])).toBe(345n);
    expect(fn('array_max', 'ARRAY<DOUBLE>')([0.0, 0.1, -12345.678, null, 0.3])).toBe(0.3);
    expect(fn('array_max', 'ARRAY<STRING>')(['foo', 'fo', 'Food', null, 'F', 'food'])).toBe('food');
    expect(texts([fn('array_max', 'ARRAY<DECIMAL(2, 1)>')(decimals('1.0', '1.1', '1.2', '-0.2', null, '9.0'))])).toEqual(['9.0']);
    expect(fn('array_max', 'ARRAY<INTEGER>')([])).toBeNull();
    expect(fn('array_max', 'ARRAY<INTEGER>')([null])).toBeNull();
    expect(fn('array_max', 'ARRAY<INTEGER>')(null)).toBeNull();
    // Double.compareTo puts NaN above everything.
    expect(fn('array_max', 'ARRAY<DOUBLE>')([1, NaN])).toBeNaN();
  });

  it('ARRAY_MIN', () => {
    expect(fn('array_min', 'ARRAY<INTEGER>')([0, null, 1, 0, -1])).toBe(-1);
    expect(fn('array_min', 'ARRAY<STRING>')(['foo', 'fo', 'Food', null, 'F', 'food'])).toBe('F');
    expect(fn('array_min', 'ARRAY<DOUBLE>')([1, NaN])).toBe(1);
  });

  it('ARRAY_MAX fails on values that are not comparable', () => {
    expect(() => fn('array_max', 'ARRAY<ARRAY<INTEGER>>')([[1], [2]])).toThrow(FunctionValueError);
  });

  it('ARRAY_SORT puts nulls last in both directions', () => {
    expect(fn('array_sort', 'ARRAY<BOOLEAN>')([null, false, true])).toEqual([false, true, null]);
    expect(fn('array_sort', 'ARRAY<INTEGER>')([0, null, 1, 0, -1])).toEqual([-1, 0, 0, 1, null]);
    expect(fn('array_sort', 'ARRAY<BIGINT>')([234n, -123n, 345n])).toEqual([-123n, 234n, 345n]);
    expect(fn('array_sort', 'ARRAY<DOUBLE>')([0.0, 0.1, -12345.678, null, 0.3])).toEqual([-12345.678, 0.0, 0.1, 0.3, null]);
    expect(fn('array_sort', 'ARRAY<STRING>')(['foo', 'fo', 'Food', null, 'F', 'food'])).toEqual(['F', 'Food', 'fo', 'foo', 'food', null]);
    expect(texts(fn('array_sort', 'ARRAY<DECIMAL(2, 1)>')(decimals('1.0', '1.1', '-0.2', '1.9', '9.0', '-9.9')))).toEqual([
      '-9.9', '-0.2', '1.0', '1.1', '1.9', '9.0',
    ]);
    const desc = fn('array_sort', 'ARRAY<STRING>', 'STRING');
    expect(desc(['foo', 'fo', 'Food', null, 'F', 'food'], 'desc')).toEqual(['food', 'foo', 'fo', 'Food', 'F', null]);
    expect(fn('array_sort', 'ARRAY<INTEGER>', 'STRING')([0, null, 1, 0, -1], 'DESCENDING')).toEqual([1, 0, 0, -1, null]);
    expect(fn('array_sort', 'ARRAY<BOOLEAN>', 'STRING')([null, false, true], 'desc')).toEqual([true, false, null]);
    expect(desc(['a'], 'sideways')).toBeNull();
    expect(desc(['a'], null)).toBeNull();
    expect(fn('array_sort', 'ARRAY<INTEGER>')([])).toEqual([]);
    expect(fn('array_sort', 'ARRAY<INTEGER>')(null)).toBeNull();
  });

  it('ARRAY_SORT leaves its input alone', () => {
    const input = [3, 1, 2];
    fn('array_sort', 'ARRAY<INTEGER>')(input);
    expect(input).toEqual([3, 1, 2]);
  });
});

describe('qtt: array-set-functions.json', () => {
  it('ARRAY_DISTINCT keeps first occurrences, nulls included', () => {
    expect(fn('array_distinct', 'ARRAY<STRING>')(['foo', 'bar', 'foo'])).toEqual(['foo', 'bar']);
    expect(fn('array_distinct', 'ARRAY<BOOLEAN>')([null, false, true])).toEqual([null, false, true]);
    expect(fn('array_distinct', 'ARRAY<INTEGER>')([0, null, 1, 0, -1])).toEqual([0, null, 1, -1]);
    expect(fn('array_distinct', 'ARRAY<BIGINT>')([345n, -123n, 345n])).toEqual([345n, -123n]);
    expect(fn('array_distinct', 'ARRAY<DOUBLE>')([0.3, -12345.678, null, 0.3])).toEqual([0.3, -12345.678, null]);
    expect(texts(fn('array_distinct', 'ARRAY<DECIMAL(2, 1)>')(decimals('1.0', '1.1', '1.1', '-0.2', null, '1.0')))).toEqual(['1.0', '1.1', '-0.2', null]);
    expect(fn('array_distinct', 'ARRAY<INTEGER>')([])).toEqual([]);
    expect(fn('array_distinct', 'ARRAY<INTEGER>')(null)).toBeNull();
  });

  it('ARRAY_DISTINCT compares arrays and maps by value', () => {
    const lists = fn('array_distinct', 'ARRAY<ARRAY<STRING>>');
    expect(lists([['foo', 'bar', 'foo'], ['foo', 'bar', 'foo'], ['foo']])).toEqual([['foo', 'bar', 'foo'], ['foo']]);
    expect(lists([['foo', null], ['foo', 'bar'], ['foo']])).toEqual([['foo', null], ['foo', 'bar'], ['foo']]);
    expect(lists([null, ['foo']])).toEqual([null, ['foo']]);
    const maps = fn('array_distinct', 'ARRAY<MAP<STRING, INTEGER>>');
    const m = (apple: number | null, banana: number) => new Map<string, number | null>([['apple', apple], ['banana', banana]]);
    expect(maps([m(1, 2), m(3, 4), m(1, 2)])).toEqual([m(1, 2), m(3, 4)]);
    expect(maps([m(null, 2), m(1, 2), m(1, 2)])).toEqual([m(null, 2), m(1, 2)]);
  });

  it('ARRAY_EXCEPT, ARRAY_INTERSECT and ARRAY_UNION', () => {
    const except = fn('array_except', 'ARRAY<INTEGER>', 'ARRAY<INTEGER>');
    expect(except([0, 0, 1, 0, -1], [1, -2])).toEqual([0, -1]);
    expect(except([0, 0, 1, 0, -1], [1, -1, 0])).toEqual([]);
    expect(except([], [1, -2])).toEqual([]);
    expect(except([0, 0, 1, 0, -1], [])).toEqual([0, 1, -1]);
    expect(except(null, [1])).toBeNull();
    expect(except([1], null)).toBeNull();
    expect(fn('array_except', 'ARRAY<STRING>', 'ARRAY<STRING>')(['foo', 'bar', 'foo'], ['bar', 'baz'])).toEqual(['foo']);
    const intersect = fn('array_intersect', 'ARRAY<INTEGER>', 'ARRAY<INTEGER>');
    expect(intersect([0, 0, 1, 0, -1], [1, -2, 0])).toEqual([0, 1]);
    expect(intersect([0, 0, 1, 0, -1], [3, 4])).toEqual([]);
    expect(intersect([0], null)).toBeNull();
    expect(fn('array_intersect', 'ARRAY<STRING>', 'ARRAY<STRING>')(['foo', 'bar', 'foo'], ['foo', 'baz'])).toEqual(['foo']);
    const union = fn('array_union', 'ARRAY<STRING>', 'ARRAY<STRING>');
    expect(union(['foo', 'bar', 'foo'], ['foo', 'baz'])).toEqual(['foo', 'bar', 'baz']);
    expect(union(null, ['foo'])).toBeNull();
    // complex-lambda.json: ARRAY_UNION(Y, TRANSFORM(Y, z => z * 3)).
    expect(fn('array_union', 'ARRAY<INTEGER>', 'ARRAY<INTEGER>')([14, -3, -15, 3], [42, -9, -45, 9])).toEqual([14, -3, -15, 3, 42, -9, -45, 9]);
  });

  it('ARRAY_CONCAT treats one null side as empty', () => {
    const concat = fn('array_concat', 'ARRAY<INTEGER>', 'ARRAY<INTEGER>');
    expect(concat([0, 0, 1, 0, -1], [1, -2, 0])).toEqual([0, 0, 1, 0, -1, 1, -2, 0]);
    expect(concat([], [1, -2])).toEqual([1, -2]);
    expect(concat(null, [1, -2])).toEqual([1, -2]);
    expect(concat([0, 1], null)).toEqual([0, 1]);
    expect(concat(null, null)).toBeNull();
    expect(fn('array_concat', 'ARRAY<STRING>', 'ARRAY<STRING>')(['foo', 'bar', 'foo'], ['foo', 'baz'])).toEqual(['foo', 'bar', 'foo', 'foo', 'baz']);
  });
});

describe('qtt: arraycontains.json, arrayjoin.json, array.json, slice.json', () => {
  it('ARRAY_CONTAINS is false for a null array and finds null elements', () => {
    const contains = fn('ARRAY_CONTAINS', 'ARRAY<STRING>', 'STRING');
    expect(contains(['Red', 'Green'], 'Pink')).toBe(false);
    expect(contains(['Pink', 'Yellow', 'Pink'], 'Pink')).toBe(true);
    expect(contains(['Pink', null], 'Pink')).toBe(true);
    expect(contains(null, 'Pink')).toBe(false);
    expect(contains(['Pink', null], null)).toBe(true);
    expect(contains(['Pink'], null)).toBe(false);
    expect(fn('ARRAY_CONTAINS', 'ARRAY<BIGINT>', 'BIGINT')([1n, 2n], 2n)).toBe(true);
    expect(fn('ARRAY_CONTAINS', 'ARRAY<DOUBLE>', 'DOUBLE')([0], -0)).toBe(false);
  });

  it('ARRAY_JOIN prints elements as Java does', () => {
    expect(fn('ARRAY_JOIN', 'ARRAY<BOOLEAN>')([true, null, false])).toBe('true,null,false');
    expect(fn('ARRAY_JOIN', 'ARRAY<INTEGER>')([1, 23, -42, 0])).toBe('1,23,-42,0');
    expect(fn('ARRAY_JOIN', 'ARRAY<BIGINT>')([-4294967297n, 8589934592n])).toBe('-4294967297,8589934592');
    expect(fn('ARRAY_JOIN', 'ARRAY<DOUBLE>')([1.23, -23.42, 0.0])).toBe('1.23,-23.42,0.0');
    expect(fn('ARRAY_JOIN', 'ARRAY<DECIMAL(5, 2)>')(decimals('123.45', '987.65'))).toBe('123.45,987.65');
    expect(fn('ARRAY_JOIN', 'ARRAY<STRING>')(['Hello', 'From', '', 'Ksqldb', 'Udf'])).toBe('Hello,From,,Ksqldb,Udf');
    expect(fn('ARRAY_JOIN', 'ARRAY<BOOLEAN>', 'STRING')([true, null, false], '|')).toBe('true|null|false');
    expect(fn('ARRAY_JOIN', 'ARRAY<DOUBLE>', 'STRING')([1.23, -23.42, 0.0], ' ')).toBe('1.23 -23.42 0.0');
    expect(fn('ARRAY_JOIN', 'ARRAY<STRING>', 'STRING')(['Hello', 'From', '', 'Ksqldb', 'Udf'], '_')).toBe('Hello_From__Ksqldb_Udf');
    expect(fn('ARRAY_JOIN', 'ARRAY<INTEGER>', 'STRING')([1, 2], null)).toBe('12');
    expect(fn('ARRAY_JOIN', 'ARRAY<INTEGER>', 'STRING')(null, ',')).toBeNull();
    expect(() => fn('ARRAY_JOIN', 'ARRAY<ARRAY<INTEGER>>')([[1]])).toThrow(FunctionValueError);
    expect(() => fn('ARRAY_JOIN', 'ARRAY<DATE>')([1])).toThrow(FunctionValueError);
  });

  it('ARRAY_LENGTH', () => {
    expect(fn('ARRAY_LENGTH', 'ARRAY<BOOLEAN>')([true])).toBe(1);
    expect(fn('ARRAY_LENGTH', 'ARRAY<STRING>')(['a', 'b', 'c', 'd', 'e'])).toBe(5);
    expect(fn('ARRAY_LENGTH', 'ARRAY<DECIMAL(2, 1)>')(null)).toBeNull();
    expect(resolve('ARRAY_LENGTH', 'ARRAY<BIGINT>').returnType).toEqual(t('INTEGER'));
  });

  it('GENERATE_SERIES counts up or down, with an optional step', () => {
    const series = fn('GENERATE_SERIES', 'INTEGER', 'INTEGER');
    expect(series(0, 3)).toEqual([0, 1, 2, 3]);
    expect(series(-2, 1)).toEqual([-2, -1, 0, 1]);
    expect(series(4, 3)).toEqual([4, 3]);
    expect(series(4, 0)).toEqual([4, 3, 2, 1, 0]);
    expect(series(5, 5)).toEqual([5]);
    const stepped = fn('GENERATE_SERIES', 'INTEGER', 'INTEGER', 'INTEGER');
    expect(stepped(0, 3, 1)).toEqual([0, 1, 2, 3]);
    expect(stepped(-2, 1, 2)).toEqual([-2, 0]);
    expect(stepped(0, 9, 3)).toEqual([0, 3, 6, 9]);
    expect(stepped(3, 0, -1)).toEqual([3, 2, 1, 0]);
    expect(stepped(1, -2, -2)).toEqual([1, -1]);
    expect(stepped(9, 0, -3)).toEqual([9, 6, 3, 0]);
    expect(() => stepped(0, 3, 0)).toThrow('step cannot be zero');
    expect(() => stepped(0, 3, -1)).toThrow('step has wrong sign');
    expect(fn('GENERATE_SERIES', 'BIGINT', 'BIGINT')(1n, 3n)).toEqual([1n, 2n, 3n]);
    expect(fn('GENERATE_SERIES', 'BIGINT', 'BIGINT', 'INTEGER')(10n, 0n, -5)).toEqual([10n, 5n, 0n]);
    expect(series(null, 3)).toBeNull();
  });

  it('SLICE is 1-based and inclusive, NULL when out of range', () => {
    const slice = fn('slice', 'ARRAY<ARRAY<STRING>>', 'INTEGER', 'INTEGER');
    expect(slice([['a'], ['b'], ['c'], ['d']], 2, 3)).toEqual([['b'], ['c']]);
    const ints = fn('slice', 'ARRAY<INTEGER>', 'INTEGER', 'INTEGER');
    expect(ints([1, 2, 3], null, 2)).toEqual([1, 2]);
    expect(ints([1, 2, 3], 2, null)).toEqual([2, 3]);
    expect(ints([1, 2, 3], 0, 2)).toBeNull();
    expect(ints([1, 2, 3], 2, 4)).toBeNull();
    expect(ints([1, 2, 3], 3, 2)).toEqual([]);
    expect(ints([1, 2, 3], 3, 1)).toBeNull();
    expect(ints(null, 1, 2)).toBeNull();
  });

  it('ARRAY_REMOVE removes every equal element, NULL included', () => {
    const remove = fn('array_remove', 'ARRAY<INTEGER>', 'INTEGER');
    expect(remove([1, 2, 1, null], 1)).toEqual([2, null]);
    expect(remove([1, null, 2], null)).toEqual([1, 2]);
    expect(remove(null, 1)).toBeNull();
    expect(texts(fn('array_remove', 'ARRAY<DECIMAL(3, 1)>', 'DECIMAL(3, 1)')(decimals('1.0', '2.0'), d('1.0')))).toEqual(['2.0']);
  });
});
