import { Decimal } from '../../../src/schema/index.js';
import { bytes, t } from '../calls.js';
import { agg, feed, feedByKey, resolveAgg, rows } from './run.js';

const dec = (s: string) => Decimal.parse(s);

describe('COLLECT_LIST (collect-list.json)', () => {
  it('collects any type into an ARRAY of it', () => {
    for (const type of ['BIGINT', 'DECIMAL(4, 1)', 'MAP<STRING, BIGINT>', 'STRUCT<A STRING, B BIGINT>', 'ARRAY<STRUCT<A STRING>>', 'BYTES']) {
      expect(resolveAgg('COLLECT_LIST', [type]).returnType).toEqual(t(`ARRAY<${type}>`));
      expect(agg('COLLECT_LIST', [type]).intermediateType).toEqual(t(`ARRAY<${type}>`));
    }
  });

  it('keeps nulls and order', () => {
    const list = agg('collect_list', ['STRING']);
    expect(feedByKey(list, [[0, 'foo'], [100, 'baz'], [0, 'bar'], [100, 'baz'], [100, 'foo'], [100, null]])).toEqual([
      ['foo'], ['baz'], ['foo', 'bar'], ['baz', 'baz'], ['baz', 'baz', 'foo'], ['baz', 'baz', 'foo', null],
    ]);
  });

  it('stops at ksql.functions.collect_list.limit', () => {
    const list = agg('collect_list', ['INTEGER'], [], { 'ksql.functions.collect_list.limit': '1' });
    expect(feed(list, rows(0, 100)).results).toEqual([[0], [0]]);
    const unlimited = agg('collect_list', ['INTEGER'], [], { 'ksql.functions.collect_list.limit': '-1' });
    expect(feed(unlimited, rows(0, 100)).results).toEqual([[0], [0, 100]]);
    expect(() => agg('collect_list', ['INTEGER'], [], { 'ksql.functions.collect_list.limit': 'x' })).toThrow('is not an int');
  });

  it('undoes the last equal value (a table aggregation)', () => {
    const list = agg('collect_list', ['BIGINT']);
    const acc = feed(list, rows(1n, 2n, 1n, 3n)).acc;
    expect(list.undo?.(acc, [1n])).toEqual([1n, 2n, 3n]);
    expect(list.undo?.(acc, [9n])).toBe(acc);
    expect(list.undo?.(feed(list, rows(null, 5n)).acc, [null])).toEqual([5n]);
    // collect_list long table: the update arrives as undo(old) then add(new).
    expect(list.add(list.undo?.([2147483648n], [2147483648n]), [100n])).toEqual([100n]);
  });

  it('does not mutate the accumulator', () => {
    const list = agg('collect_list', ['INTEGER']);
    const acc = [1, 2];
    list.add(acc, [3]);
    list.undo?.(acc, [2]);
    expect(acc).toEqual([1, 2]);
  });

  it('merges session windows up to the limit', () => {
    const list = agg('collect_list', ['INTEGER'], [], { 'ksql.functions.collect_list.limit': '3' });
    expect(list.merge?.([1, 2], [3, 4])).toEqual([1, 2, 3]);
    expect(list.merge?.([1, 2, 3], [4])).toEqual([1, 2, 3]);
  });
});

describe('COLLECT_SET (collect-set.json)', () => {
  it('keeps distinct values in order of first arrival, null once', () => {
    const set = agg('collect_set', ['STRING']);
    expect(feedByKey(set, [[0, 'foo'], [100, 'baz'], [0, 'bar'], [100, 'baz'], [100, 'foo'], [100, null], [100, null]])).toEqual([
      ['foo'], ['baz'], ['foo', 'bar'], ['baz'], ['baz', 'foo'], ['baz', 'foo', null], ['baz', 'foo', null],
    ]);
  });

  it('compares values as Java equals() does', () => {
    const maps = agg('collect_set', ['MAP<STRING, BIGINT>']);
    const m1 = new Map([['Record0', 100n], ['Record2', 2n]]);
    const m2 = new Map([['Record2', 2n], ['Record0', 100n]]);
    expect(feed(maps, rows(m1, m2)).results[1]).toEqual([m1]);
    const arrays = agg('collect_set', ['ARRAY<INT>']);
    expect(feed(arrays, rows([0, 0, 1], [1, 2], [0, 0, 1])).results[2]).toEqual([[0, 0, 1], [1, 2]]);
    const decimals = agg('collect_set', ['DECIMAL(4, 1)']);
    expect(feed(decimals, rows(dec('300.8'), null, dec('300.8'), null)).results[3]).toEqual([dec('300.8'), null]);
    const blobs = agg('collect_set', ['BYTES']);
    expect(feed(blobs, rows(bytes('YQ=='), bytes('Yg=='), bytes('Yg=='))).results[2]).toEqual([bytes('YQ=='), bytes('Yg==')]);
    const doubles = agg('collect_set', ['DOUBLE']);
    expect(feed(doubles, rows(0, -0, NaN, NaN)).results[3]).toEqual([0, -0, NaN]);
    const structs = agg('collect_set', ['STRUCT<A STRING, B BIGINT>']);
    expect(feed(structs, rows({ A: 'x', B: 1n }, { A: 'x', B: 1n }, { A: 'x' }, { A: 'x', B: null })).results[3]).toEqual([
      { A: 'x', B: 1n },
      { A: 'x' },
    ]);
  });

  it('stops at ksql.functions.collect_set.limit, merges, cannot undo', () => {
    const set = agg('collect_set', ['INTEGER'], [], { 'ksql.functions.collect_set.limit': '2', 'ksql.functions.collect_list.limit': '1' });
    expect(feed(set, rows(1, 1, 2, 3)).results).toEqual([[1], [1], [1, 2], [1, 2]]);
    expect(set.merge?.([1], [1, 3, 4])).toEqual([1, 3]);
    expect(set.undo).toBeUndefined();
  });
});
