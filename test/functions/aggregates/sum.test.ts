import { FunctionValueError } from '../../../src/functions/index.js';
import { Decimal } from '../../../src/schema/index.js';
import { t } from '../calls.js';
import { agg, feed, feedByKey, resolveAgg, rows } from './run.js';

const dec = (s: string) => Decimal.parse(s);
const plain = (v: unknown) => (v instanceof Decimal ? v.toPlainString() : v);

describe('SUM (sum.json)', () => {
  it('sums INT, BIGINT and DOUBLE into their own type', () => {
    expect(resolveAgg('SUM', ['INTEGER']).returnType).toEqual(t('INTEGER'));
    expect(resolveAgg('SUM', ['BIGINT']).returnType).toEqual(t('BIGINT'));
    expect(resolveAgg('SUM', ['DOUBLE']).returnType).toEqual(t('DOUBLE'));
    expect(feedByKey(agg('SUM', ['INTEGER']), [[0, 0], [0, 100], [100, 500], [100, 100]])).toEqual([0, 100, 500, 600]);
    expect(feedByKey(agg('SUM', ['BIGINT']), [[0, 2147483648n], [0, 100n], [100, 500n], [100, 100n]])).toEqual([
      2147483648n, 2147483748n, 500n, 600n,
    ]);
    expect(feedByKey(agg('SUM', ['DOUBLE']), [[0, 5.4], [0, 100.1], [100, 500.9], [100, 300.8]])).toEqual([5.4, 105.5, 500.9, 801.7]);
  });

  it('sums constants', () => {
    expect(feed(agg('SUM', ['INTEGER']), rows(2, 2, 2)).results).toEqual([2, 4, 6]);
    expect(feed(agg('SUM', ['DOUBLE']), rows(1, 1)).results).toEqual([1, 2]);
  });

  it('wraps INT and BIGINT overflow like Java', () => {
    expect(feed(agg('SUM', ['INTEGER']), rows(2147483647, 1)).results).toEqual([2147483647, -2147483648]);
    expect(feed(agg('SUM', ['BIGINT']), rows(9223372036854775807n, 1n)).results).toEqual([9223372036854775807n, -9223372036854775808n]);
  });

  it('skips nulls and starts at zero', () => {
    const sum = agg('SUM', ['INTEGER']);
    expect(sum.result(sum.initial())).toBe(0);
    expect(feed(sum, rows(null, 3, null)).results).toEqual([0, 3, 3]);
  });

  it('keeps the DECIMAL type and fails on overflow', () => {
    expect(resolveAgg('SUM', ['DECIMAL(4, 1)']).returnType).toEqual(t('DECIMAL(4, 1)'));
    const sum = agg('SUM', ['DECIMAL(4, 1)']);
    expect(sum.intermediateType).toEqual(t('DECIMAL(4, 1)'));
    const { results, acc } = feed(sum, rows(dec('500.9'), dec('300.8')));
    expect(results.map(plain)).toEqual(['500.9', '801.7']);
    expect(() => sum.add(acc, [dec('400.8')])).toThrow(FunctionValueError);
    expect(() => sum.add(acc, [dec('400.8')])).toThrow(
      'Numeric field overflow: A field with precision 4 and scale 1 must round to an absolute value less than 10^3. Got 1203', // BigDecimal.add(x, MathContext(4)) rounds first
    );
    const wider = agg('SUM', ['DECIMAL(6, 2)']);
    expect(feed(wider, rows(dec('500.90'), dec('300.80'), dec('400.80'))).results.map(plain)).toEqual(['500.90', '801.70', '1202.50']);
    const narrow = agg('SUM', ['DECIMAL(3, 1)']);
    const n = feed(narrow, rows(dec('50.9')));
    expect(() => narrow.add(n.acc, [dec('50.8')])).toThrow('Numeric field overflow');
    expect(() => narrow.add(feed(narrow, rows(dec('-50.9'))).acc, [dec('-50.8')])).toThrow('Numeric field overflow');
  });

  it('undoes and merges', () => {
    const sum = agg('SUM', ['INTEGER']);
    expect(sum.undo?.(10, [3])).toBe(7);
    expect(sum.undo?.(10, [null])).toBe(10);
    expect(sum.merge?.(10, 3)).toBe(13);
    const d = agg('SUM', ['DECIMAL(4, 1)']);
    expect(plain(d.undo?.(dec('10.5'), [dec('0.5')]))).toBe('10.0');
    expect(plain(d.merge?.(dec('10.5'), dec('0.5')))).toBe('11.0');
  });

  it('accepts only numbers, without implicit casts', () => {
    expect(() => resolveAgg('SUM', ['STRING'])).toThrow("Function 'SUM' does not accept parameters (STRING).");
  });
});

describe('SUM_LIST (sum.json)', () => {
  it('sums lists of doubles, ints and longs, skipping null elements', () => {
    expect(resolveAgg('SUM_LIST', ['ARRAY<DOUBLE>']).returnType).toEqual(t('DOUBLE'));
    expect(feed(agg('sum_list', ['ARRAY<DOUBLE>']), rows([1, 1], [2, 2], [922337203685, 1], [1, 1, null])).results).toEqual([
      2, 6, 922337203692, 922337203694,
    ]);
    expect(feed(agg('sum_list', ['ARRAY<INT>']), rows([1, 1], [2, 2], [100, 100], [100, 100, null])).results).toEqual([2, 6, 206, 406]);
    expect(feed(agg('sum_list', ['ARRAY<BIGINT>']), rows([1n, 1n], [2n, 2n], null)).results).toEqual([2n, 6n, 6n]);
    expect(agg('sum_list', ['ARRAY<BIGINT>']).undo?.(6n, [[1n, 2n]])).toBe(3n);
  });
});
