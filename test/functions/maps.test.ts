import { fn, resolve, t } from './calls.js';

const map = (...entries: [unknown, unknown][]): Map<unknown, unknown> => new Map(entries);

describe('qtt: map.json', () => {
  it('MAP_KEYS and MAP_VALUES, in the map order', () => {
    const keys = fn('map_keys', 'MAP<STRING, INTEGER>');
    expect(keys(map(['foo', 10], ['bar', 20], ['baz', 30]))).toEqual(['foo', 'bar', 'baz']);
    expect(keys(map(['foo', 10], ['bar', null]))).toEqual(['foo', 'bar']);
    expect(keys(map())).toEqual([]);
    expect(keys(null)).toBeNull();
    expect(fn('map_keys', 'MAP<STRING, ARRAY<INTEGER>>')(map(['foo', [1]], ['bar', null]))).toEqual(['foo', 'bar']);
    const values = fn('map_values', 'MAP<STRING, ARRAY<INTEGER>>');
    expect(values(map(['foo', [1, 2, 3]]))).toEqual([[1, 2, 3]]);
    expect(values(map(['foo', null], ['bar', null]))).toEqual([null, null]);
    expect(values(map(['foo', [null]], ['bar', [null]]))).toEqual([[null], [null]]);
    expect(values(null)).toBeNull();
    expect(resolve('map_values', 'MAP<STRING, ARRAY<INTEGER>>').returnType).toEqual(t('ARRAY<ARRAY<INTEGER>>'));
  });

  it('MAP_KEYS accepts only STRING keys', () => {
    expect(() => resolve('map_keys', 'MAP<INTEGER, INTEGER>')).toThrow("Function 'map_keys' does not accept parameters");
  });

  it('MAP_UNION: the second map wins, NULL only when both are', () => {
    const union = fn('map_union', 'MAP<STRING, INTEGER>', 'MAP<STRING, INTEGER>');
    expect(union(map(['a', 1], ['b', 2]), map(['b', 3], ['c', 4]))).toEqual(map(['a', 1], ['b', 3], ['c', 4]));
    expect(union(null, map(['c', 4]))).toEqual(map(['c', 4]));
    expect(union(map(['a', 1]), null)).toEqual(map(['a', 1]));
    expect(union(null, null)).toBeNull();
  });

  it('AS_MAP pairs keys with values; missing values are NULL', () => {
    const asMap = fn('AS_MAP', 'ARRAY<STRING>', 'ARRAY<INTEGER>');
    expect(asMap(['a', 'b'], [1, 2])).toEqual(map(['a', 1], ['b', 2]));
    expect(asMap(['a', 'b', 'a'], [1])).toEqual(map(['a', null], ['b', null]));
    expect(asMap(['a'], [1, 2])).toEqual(map(['a', 1]));
    expect(asMap(null, [1])).toBeNull();
  });
});

describe('qtt: array.json (ENTRIES)', () => {
  it('builds K/V structs, sorted by key on request', () => {
    const entries = fn('ENTRIES', 'MAP<STRING, INTEGER>', 'BOOLEAN');
    expect(entries(map(['K2', 2], ['K1', 1], ['K3', 3]), true)).toEqual([
      { K: 'K1', V: 1 },
      { K: 'K2', V: 2 },
      { K: 'K3', V: 3 },
    ]);
    expect(entries(map(['K2', 2], ['K1', 1]), false)).toEqual([
      { K: 'K2', V: 2 },
      { K: 'K1', V: 1 },
    ]);
    expect(entries(null, true)).toBeNull();
    expect(fn('ENTRIES', 'MAP<STRING, BIGINT>', 'BOOLEAN')(map(['K1', 1n]), true)).toEqual([{ K: 'K1', V: 1n }]);
    expect(fn('ENTRIES', 'MAP<STRING, BOOLEAN>', 'BOOLEAN')(map(['K1', true]), true)).toEqual([{ K: 'K1', V: true }]);
  });

  it('types the result from the map value type', () => {
    expect(resolve('ENTRIES', 'MAP<STRING, DOUBLE>', 'BOOLEAN').returnType).toEqual(t('ARRAY<STRUCT<K STRING, V DOUBLE>>'));
    expect(resolve('ENTRIES', 'MAP<STRING, STRUCT<A INTEGER>>', 'BOOLEAN').returnType).toEqual(t('ARRAY<STRUCT<K STRING, V STRUCT<A INTEGER>>>'));
    expect(() => resolve('ENTRIES', 'MAP<STRING, ARRAY<INTEGER>>', 'BOOLEAN')).toThrow('does not accept parameters');
  });
});

describe('qtt: split-to-map.json', () => {
  const split = fn('split_to_map', 'STRING', 'STRING', 'STRING');
  const fruit = 'apple:green/banana:yellow/cherry:red';

  it('splits entries, then keys from values', () => {
    expect(split(fruit, '/', ':')).toEqual(map(['apple', 'green'], ['banana', 'yellow'], ['cherry', 'red']));
    expect(split(fruit, '&&', ':')).toEqual(map(['apple', 'green/banana']));
    expect(split('apple:green//banana:yellow//cherry:red/', '/', ':')).toEqual(map(['apple', 'green'], ['banana', 'yellow'], ['cherry', 'red']));
    expect(split(fruit, '/', '=')).toEqual(map());
    expect(split('', '/', ':')).toEqual(map());
    expect(split('a:1/a:2', '/', ':')).toEqual(map(['a', '2']));
  });

  it('returns NULL for NULL or empty delimiters', () => {
    expect(split(fruit, '', ':')).toBeNull();
    expect(split(fruit, '/', '')).toBeNull();
    expect(split(fruit, null, ':')).toBeNull();
    expect(split(fruit, '/', null)).toBeNull();
    expect(split(null, '/', ':')).toBeNull();
    expect(split(fruit, ':', ':')).toBeNull();
  });
});
