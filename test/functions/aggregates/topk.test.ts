import { Decimal } from '../../../src/schema/index.js';
import { t } from '../calls.js';
import { agg, feed, resolveAgg, rows } from './run.js';

const dec = (s: string) => Decimal.parse(s);

describe('TOPK (topk-group-by.json)', () => {
  it('takes k as a trailing literal and returns an ARRAY of the column type', () => {
    for (const type of ['INTEGER', 'BIGINT', 'DOUBLE', 'STRING']) {
      const call = resolveAgg('TOPK', [type, 'INTEGER']);
      expect(call.returnType).toEqual(t(`ARRAY<${type}>`));
      expect(call.literalParams).toBe(1);
      expect(call.create([3]).intermediateType).toEqual(t(`ARRAY<${type}>`));
    }
    expect(() => resolveAgg('TOPK', ['DECIMAL(2, 1)', 'INTEGER'])).toThrow('does not accept parameters');
    expect(() => resolveAgg('TOPK', ['INTEGER', 'BIGINT'])).toThrow('does not accept parameters');
  });

  it('keeps the k greatest values, greatest first', () => {
    expect(feed(agg('TOPK', ['INTEGER', 'INTEGER'], [3]), rows(0, 100, 99, 7, 100)).results).toEqual([
      [0], [100, 0], [100, 99, 0], [100, 99, 7], [100, 100, 99],
    ]);
    expect(feed(agg('TOPK', ['BIGINT', 'INTEGER'], [3]), rows(2147483648n, 100n, 99n, 7n, 100n)).results).toEqual([
      [2147483648n], [2147483648n, 100n], [2147483648n, 100n, 99n], [2147483648n, 100n, 99n], [2147483648n, 100n, 100n],
    ]);
    expect(feed(agg('TOPK', ['DOUBLE', 'INTEGER'], [3]), rows(2147483648.9, 100.5, 99.9, 7.3, 100.5)).results[4]).toEqual([
      2147483648.9, 100.5, 100.5,
    ]);
    expect(feed(agg('TOPK', ['STRING', 'INTEGER'], [3]), rows('a', 'b', 'c', 'b', 'd', null)).results).toEqual([
      ['a'], ['b', 'a'], ['c', 'b', 'a'], ['c', 'b', 'b'], ['d', 'c', 'b'], ['d', 'c', 'b'],
    ]);
  });

  it('carries other columns in a STRUCT<sort_col, col0, ...>', () => {
    const call = resolveAgg('TOPK', ['INTEGER', 'STRING', 'INTEGER']);
    expect(call.returnType).toEqual(t('ARRAY<STRUCT<sort_col INTEGER, col0 STRING>>'));
    expect(call.literalParams).toBe(1);
    const topk = call.create([3]);
    expect(topk.intermediateType).toEqual(t('ARRAY<STRUCT<sort_col INTEGER, col0 STRING>>'));
    const { results } = feed(topk, [[0, 'zero'], [100, 'one'], [99, 'two'], [null, 'three'], [100, null]]);
    expect(results).toEqual([
      [{ sort_col: 0, col0: 'zero' }],
      [{ sort_col: 100, col0: 'one' }, { sort_col: 0, col0: 'zero' }],
      [{ sort_col: 100, col0: 'one' }, { sort_col: 99, col0: 'two' }, { sort_col: 0, col0: 'zero' }],
      [{ sort_col: 100, col0: 'one' }, { sort_col: 99, col0: 'two' }, { sort_col: 0, col0: 'zero' }],
      // A later equal value sorts after the earlier one.
      [{ sort_col: 100, col0: 'one' }, { sort_col: 100, col0: null }, { sort_col: 99, col0: 'two' }],
    ]);
    const two = resolveAgg('TOPK', ['STRING', 'BIGINT', 'DOUBLE', 'INTEGER']);
    expect(two.returnType).toEqual(t('ARRAY<STRUCT<sort_col STRING, col0 BIGINT, col1 DOUBLE>>'));
    expect(feed(two.create([1]), [['a', 1n, 1.5], ['b', null, 2.5]]).results[1]).toEqual([{ sort_col: 'b', col0: null, col1: 2.5 }]);
  });

  it('merges session windows', () => {
    const topk = agg('TOPK', ['INTEGER', 'INTEGER'], [3]);
    expect(topk.merge?.([9, 5, 1], [7, 5])).toEqual([9, 7, 5]);
    expect(topk.merge?.([5], [5])).toEqual([5, 5]);
    expect(topk.merge?.([], [])).toEqual([]);
    expect(topk.undo).toBeUndefined();
  });
});

describe('TOPKDISTINCT (topk-distinct.json)', () => {
  it('keeps the k greatest distinct values', () => {
    expect(feed(agg('TOPKDISTINCT', ['INTEGER', 'INTEGER'], [3]), rows(0, 100, 99, 7, 100)).results).toEqual([
      [0], [100, 0], [100, 99, 0], [100, 99, 7], [100, 99, 7],
    ]);
    expect(feed(agg('TOPKDISTINCT', ['STRING', 'INTEGER'], [3]), rows('a', 'b', 'c', 'b', 'd')).results[4]).toEqual(['d', 'c', 'b']);
    expect(feed(agg('TOPKDISTINCT', ['DATE', 'INTEGER'], [3]), rows(0, 100, 99, null, -7, 100)).results).toEqual([
      [0], [100, 0], [100, 99, 0], [100, 99, 0], [100, 99, 0], [100, 99, 0],
    ]);
  });

  it('handles decimals, keeping their type', () => {
    expect(resolveAgg('TOPKDISTINCT', ['DECIMAL(2, 1)', 'INTEGER']).returnType).toEqual(t('ARRAY<DECIMAL(2, 1)>'));
    const topk = agg('TOPKDISTINCT', ['DECIMAL(2, 1)', 'INTEGER'], [3]);
    const out = feed(topk, rows(dec('9.8'), dec('8.9'), null, dec('7.8'), dec('6.5'), dec('9.9'))).results;
    expect(out.map((l) => (l as Decimal[]).map(String))).toEqual([
      ['9.8'], ['9.8', '8.9'], ['9.8', '8.9'], ['9.8', '8.9', '7.8'], ['9.8', '8.9', '7.8'], ['9.9', '9.8', '8.9'],
    ]);
  });

  it('merges equal heads into one value', () => {
    const topk = agg('TOPKDISTINCT', ['INTEGER', 'INTEGER'], [3]);
    expect(topk.merge?.([9, 5, 1], [7, 5])).toEqual([9, 7, 5]);
    expect(topk.merge?.([5, 3], [5, 3])).toEqual([5, 3]);
    expect(() => resolveAgg('TOPKDISTINCT', ['INTEGER', 'STRING', 'INTEGER'])).toThrow('does not accept parameters');
  });
});
