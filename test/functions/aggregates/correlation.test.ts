import { t } from '../calls.js';
import { agg, feedByKey, resolveAgg } from './run.js';

describe('CORRELATION (correlation-udaf.json)', () => {
  it('takes DOUBLE columns, INT and BIGINT ones cast', () => {
    const call = resolveAgg('CORRELATION', ['DOUBLE', 'DOUBLE']);
    expect(call.returnType).toEqual(t('DOUBLE'));
    expect(resolveAgg('correlation', ['INTEGER', 'INTEGER']).paramTypes).toEqual([t('DOUBLE'), t('DOUBLE')]);
    expect(resolveAgg('correlation', ['BIGINT', 'BIGINT']).paramTypes).toEqual([t('DOUBLE'), t('DOUBLE')]);
    expect(call.create([]).intermediateType).toEqual(
      t('STRUCT<X_SUM DOUBLE, Y_SUM DOUBLE, X_SQUARED_SUM DOUBLE, Y_SQUARED_SUM DOUBLE, XY_SUM DOUBLE, COUNT BIGINT>'),
    );
  });

  it('computes the Pearson coefficient, skipping rows with a null', () => {
    const rows: [string, number | null, number | null][] = [
      ['alice', 1.5, 8.0], ['bob', -3.5, -2.0], ['alice', -1.0, -2.0], ['alice', -4.5, -1.0], ['bob', 13.1, null], ['bob', 3.0, 11.0], ['alice', null, -6.0],
    ];
    expect(feedByKey(agg('CORRELATION', ['DOUBLE', 'DOUBLE']), rows)).toEqual([NaN, NaN, 1, 0.7580764521133173, NaN, 1, 0.7580764521133173]);
    const ints: [string, number | null, number | null][] = [
      ['alice', 1, 8], ['bob', -3, -2], ['alice', -1, -2], ['alice', -4, -1], ['bob', 13, null], ['bob', 3, 11], ['alice', null, -6],
    ];
    expect(feedByKey(agg('CORRELATION', ['INTEGER', 'INTEGER']), ints)).toEqual([NaN, NaN, 1, 0.7455284088780169, NaN, 1, 0.7455284088780169]);
    const longs = ints.map(([k, x, y]) => [k, x === null ? null : BigInt(x), y === null ? null : BigInt(y)] as const);
    expect(feedByKey(agg('CORRELATION', ['BIGINT', 'BIGINT']), longs)[3]).toBe(0.7455284088780169);
  });

  it('undoes rows of a table', () => {
    const c = agg('CORRELATION', ['DOUBLE', 'DOUBLE']);
    let acc = c.add(c.initial(), [1.5, 8.0]); // alice
    expect(c.result(acc)).toBeNaN();
    acc = c.add(acc, [-3.5, -2.0]); // bob
    expect(c.result(acc)).toBe(1);
    acc = c.add(c.undo?.(acc, [1.5, 8.0]), [-1.0, -2.0]); // alice updated
    expect(c.result(acc)).toBeNaN();
    acc = c.add(acc, [-4.5, -1.0]); // charlie
    expect(c.result(acc)).toBe(-0.7205766921228921);
    expect(c.undo?.(acc, [null, 1])).toBe(acc);
  });

  it('merges', () => {
    const c = agg('CORRELATION', ['DOUBLE', 'DOUBLE']);
    const a = c.add(c.add(c.initial(), [1.5, 8.0]), [-1.0, -2.0]);
    const b = c.add(c.initial(), [-4.5, -1.0]);
    expect(c.result(c.merge?.(a, b))).toBe(0.7580764521133173);
  });
});
