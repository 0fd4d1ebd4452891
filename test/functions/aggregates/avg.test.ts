import { t } from '../calls.js';
import { agg, feed, feedByKey, resolveAgg, rows } from './run.js';

describe('AVG (average-udaf.json)', () => {
  it('averages into a DOUBLE through a STRUCT<SUM, COUNT>', () => {
    expect(resolveAgg('AVG', ['BIGINT']).returnType).toEqual(t('DOUBLE'));
    expect(agg('AVG', ['BIGINT']).intermediateType).toEqual(t('STRUCT<SUM BIGINT, COUNT BIGINT>'));
    expect(agg('AVG', ['INTEGER']).intermediateType).toEqual(t('STRUCT<SUM INTEGER, COUNT BIGINT>'));
    expect(agg('AVG', ['DOUBLE']).intermediateType).toEqual(t('STRUCT<SUM DOUBLE, COUNT BIGINT>'));
  });

  it('averages longs, skipping nulls', () => {
    const avg = agg('avg', ['BIGINT']);
    expect(
      feedByKey(avg, [
        ['alice', -1n],
        ['bob', 2n],
        ['alice', 9223372036854775807n],
        ['alice', 1n],
        ['bob', -2n],
        ['bob', 0n],
        ['alice', null],
      ]),
    ).toEqual([-1, 2, 4.611686018427388e18, 3.0744573456182584e18, 0, 0, 3.0744573456182584e18]);
  });

  it('averages ints and doubles; an empty group is 0.0', () => {
    const avg = agg('AVG', ['INTEGER']);
    expect(avg.result(avg.initial())).toBe(0);
    expect(feed(avg, rows(1, 2, null, 4)).results).toEqual([1, 1.5, 1.5, 7 / 3]);
    expect(feed(agg('AVG', ['DOUBLE']), rows(0.5, 1)).results).toEqual([0.5, 0.75]);
  });

  it('undoes and merges', () => {
    const avg = agg('AVG', ['INTEGER']);
    const acc = feed(avg, rows(1, 2, 6)).acc;
    expect(avg.result(avg.undo?.(acc, [6]))).toBe(1.5);
    expect(avg.undo?.(acc, [null])).toBe(acc);
    expect(avg.merge?.({ SUM: 3, COUNT: 2n }, { SUM: 6, COUNT: 1n })).toEqual({ SUM: 9, COUNT: 3n });
  });

  it('has no DECIMAL or STRING variant', () => {
    expect(() => resolveAgg('AVG', ['STRING'])).toThrow("Function 'avg' does not accept parameters (STRING).");
    expect(() => resolveAgg('AVG', ['DECIMAL(4, 2)'])).toThrow('does not accept parameters');
  });
});
