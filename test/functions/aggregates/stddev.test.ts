import { t } from '../calls.js';
import { agg, feed, feedByKey, resolveAgg, rows } from './run.js';

describe('STDDEV_SAMPLE (standarddeviation.json)', () => {
  it('is the sample standard deviation', () => {
    expect(resolveAgg('STDDEV_SAMPLE', ['INTEGER']).returnType).toEqual(t('DOUBLE'));
    const sd = agg('stddev_sample', ['INTEGER']);
    expect(sd.intermediateType).toEqual(t('STRUCT<SUM INTEGER, COUNT BIGINT, M2 DOUBLE>'));
    expect(feedByKey(sd, [[0, 0], [0, 10], [100, 50], [100, 10], [0, 7], [100, 3], [100, null], [0, 6]])).toEqual([
      0, 7.0710678118654755, 0, 28.284271247461902, 5.131601439446884, 25.357444666211933, 25.357444666211933, 4.193248541803041,
    ]);
    expect(agg('stddev_sample', ['BIGINT']).intermediateType).toEqual(t('STRUCT<SUM BIGINT, COUNT BIGINT, M2 DOUBLE>'));
    expect(feed(agg('stddev_sample', ['DOUBLE']), rows(0, 10)).results).toEqual([0, 7.0710678118654755]);
    expect(feed(agg('stddev_sample', ['BIGINT']), rows(0n, 10n)).results).toEqual([0, 7.0710678118654755]);
  });
});

describe('STDDEV_SAMP (standarddeviation.json)', () => {
  it('is the sample variance, as in ksqlDB', () => {
    const v = agg('STDDEV_SAMP', ['INTEGER']);
    expect(v.intermediateType).toEqual(t('STRUCT<SUM INTEGER, COUNT INTEGER, M2 DOUBLE>'));
    expect(feedByKey(v, [[0, 0], [0, 10], [100, 50], [100, 10], [0, 7], [100, 3], [100, null], [0, 6]])).toEqual([
      0, 50, 0, 800, 26.333333333333332, 643, 643, 17.583333333333332,
    ]);
  });

  it('handles longs and doubles', () => {
    expect(
      feedByKey(agg('STDDEV_SAMP', ['BIGINT']), [[0, 2147483648n], [0, 100n], [100, 500n], [100, 100n], [0, -2n], [100, 0n], [100, -6n], [0, null]]),
    ).toEqual([0, 2.3058427944653343e18, 0, 80000, 1.5372286026580004e18, 70000, 57275.666666666664, 1.5372286026580004e18]);
    expect(
      feedByKey(agg('STDDEV_SAMP', ['DOUBLE']), [[0, -1.8], [0, 2.3], [100, 9223372036854.775], [100, 300.8], [0, 100.2], [100, -200000.6], [100, 0], [0, null]]),
    ).toEqual([0, 8.405, 0, 4.253529586234292e25, 3334.2033333333347, 2.835686452404674e25, 2.1267648239542927e25, 3334.2033333333347]);
  });

  it('undoes back to the earlier variance', () => {
    for (const name of ['STDDEV_SAMP', 'STDDEV_SAMPLE']) {
      const v = agg(name, ['DOUBLE']);
      const two = feed(v, rows(1, 5)).acc;
      const three = v.add(two, [12]);
      expect(v.result(v.undo?.(three, [12]))).toBeCloseTo(v.result(two) as number, 12);
      expect(v.undo?.(three, [null])).toBe(three);
    }
  });

  it('merges partial states', () => {
    for (const [name, type, values] of [
      ['STDDEV_SAMP', 'DOUBLE', [1, 5, 12, 20]],
      ['STDDEV_SAMPLE', 'DOUBLE', [1, 5, 12, 20]],
      ['STDDEV_SAMPLE', 'BIGINT', [1n, 5n, 12n, 20n]],
      ['STDDEV_SAMPLE', 'INTEGER', [1, 5, 12, 20]],
    ] as const) {
      const v = agg(name, [type]);
      const whole = v.result(feed(v, rows(...values)).acc) as number;
      const merged = v.merge?.(feed(v, rows(...values.slice(0, 2))).acc, feed(v, rows(...values.slice(2))).acc);
      expect(v.result(merged)).toBeCloseTo(whole, 9);
      expect(v.result(v.merge?.(v.initial(), feed(v, rows(...values)).acc))).toBeCloseTo(whole, 9);
    }
    // STDDEV_SAMP merges INT means with integer division, as ksqlDB does.
    const v = agg('STDDEV_SAMP', ['INTEGER']);
    const merged = v.merge?.(feed(v, rows(1, 2)).acc, feed(v, rows(4, 4)).acc) as { M2: number };
    expect(merged.M2).toBe(0.5 + (2 * 2 * 3 * 3) / 4);
  });
});
