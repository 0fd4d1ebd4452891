import type { Aggregator } from '../../../src/functions/index.js';
import { Decimal } from '../../../src/schema/index.js';
import { t } from '../calls.js';
import { agg, feed, feedByKey, resolveAgg, rows } from './run.js';

/** Kafka Streams' session merge: the initial value merged with each overlapping session, then the new row. */
function bridge(a: Aggregator, sessions: readonly unknown[], row: readonly unknown[]): unknown {
  let acc = a.initial();
  for (const s of sessions) acc = (a.merge as NonNullable<Aggregator['merge']>)(acc, s);
  return a.result(a.add(acc, row));
}

/** One session per row, in arrival order (each row its own window), then the row that bridges them. */
function sessions(a: Aggregator, values: readonly unknown[], bridging: unknown): { each: unknown[]; merged: unknown } {
  const accs = values.map((v) => a.add(a.initial(), [v]));
  return { each: accs.map((acc) => a.result(acc)), merged: bridge(a, accs, [bridging]) };
}

describe('EARLIEST_BY_OFFSET (earliest-offset-udaf.json)', () => {
  it('has the single and n forms, with literal n and ignoreNulls', () => {
    expect(resolveAgg('EARLIEST_BY_OFFSET', ['MAP<STRING, DOUBLE>']).returnType).toEqual(t('MAP<STRING, DOUBLE>'));
    expect(resolveAgg('EARLIEST_BY_OFFSET', ['INTEGER', 'BOOLEAN']).literalParams).toBe(1);
    const n = resolveAgg('EARLIEST_BY_OFFSET', ['INTEGER', 'INTEGER']);
    expect(n.returnType).toEqual(t('ARRAY<INTEGER>'));
    expect(n.literalParams).toBe(1);
    const nb = resolveAgg('EARLIEST_BY_OFFSET', ['INTEGER', 'INTEGER', 'BOOLEAN']);
    expect(nb.literalParams).toBe(2);
    expect(agg('EARLIEST_BY_OFFSET', ['STRING']).intermediateType).toEqual(t('STRUCT<SEQ BIGINT, VAL STRING>'));
    expect(nb.create([2, true]).intermediateType).toEqual(t('ARRAY<STRUCT<SEQ BIGINT, VAL INTEGER>>'));
    expect(() => n.create([0])).toThrow('earliestN must be 1 or greater');
  });

  it('keeps the first value per key', () => {
    const earliest = agg('EARLIEST_BY_OFFSET', ['STRUCT<A STRING, B BIGINT>']);
    expect(
      feedByKey(earliest, [[0, { A: 'Early0', B: 1n }], [1, { A: 'Early1', B: 2n }], [0, { A: 'Later0', B: 3n }], [1, { A: 'Later1', B: 4n }]]),
    ).toEqual([{ A: 'Early0', B: 1n }, { A: 'Early1', B: 2n }, { A: 'Early0', B: 1n }, { A: 'Early1', B: 2n }]);
    const decimals = agg('EARLIEST_BY_OFFSET', ['DECIMAL(3, 2)', 'BOOLEAN'], [true]);
    expect(feed(decimals, rows(Decimal.parse('3.40'), Decimal.parse('8.90'))).results.map(String)).toEqual(['3.40', '3.40']);
  });

  it('ignores nulls unless told not to', () => {
    expect(feed(agg('EARLIEST_BY_OFFSET', ['INTEGER', 'BOOLEAN'], [true]), rows(null, 13)).results).toEqual([null, 13]);
    expect(feed(agg('EARLIEST_BY_OFFSET', ['INTEGER', 'BOOLEAN'], [false]), rows(null, 13)).results).toEqual([null, null]);
    expect(feed(agg('EARLIEST_BY_OFFSET', ['INTEGER']), rows(12, null, 13)).results).toEqual([12, 12, 12]);
    expect(feed(agg('EARLIEST_BY_OFFSET', ['INTEGER']), rows(null, null)).results).toEqual([null, null]);
  });

  it('keeps the first n values', () => {
    expect(feed(agg('EARLIEST_BY_OFFSET', ['INTEGER', 'INTEGER', 'BOOLEAN'], [2, false]), rows(null, 13)).results).toEqual([[null], [null, 13]]);
    expect(feed(agg('EARLIEST_BY_OFFSET', ['INTEGER', 'INTEGER'], [2]), rows(12, null, 13)).results).toEqual([[12], [12], [12, 13]]);
    expect(feed(agg('EARLIEST_BY_OFFSET', ['INTEGER', 'INTEGER', 'BOOLEAN'], [2, false]), rows(12, null, 13)).results).toEqual([
      [12], [12, null], [12, null],
    ]);
    expect(feed(agg('EARLIEST_BY_OFFSET', ['STRING', 'INTEGER'], [2]), rows('foo', 'bar', 'baz')).results[2]).toEqual(['foo', 'bar']);
  });

  it('merges session windows by arrival order', () => {
    const single = agg('EARLIEST_BY_OFFSET', ['INTEGER']);
    expect(sessions(single, [1, 3], 2)).toEqual({ each: [1, 3], merged: 1 });
    const ignoring = agg('EARLIEST_BY_OFFSET', ['INTEGER', 'BOOLEAN'], [true]);
    expect(sessions(ignoring, [null, 1], null)).toEqual({ each: [null, 1], merged: 1 });
    const n = agg('EARLIEST_BY_OFFSET', ['INTEGER', 'INTEGER', 'BOOLEAN'], [2, true]);
    expect(sessions(n, [null, 1], null)).toEqual({ each: [[], [1]], merged: [1] });
    const nNulls = agg('EARLIEST_BY_OFFSET', ['INTEGER', 'INTEGER', 'BOOLEAN'], [2, false]);
    expect(sessions(nNulls, [null, 1], null)).toEqual({ each: [[null], [1]], merged: [null, 1] });
    // Merge order does not matter: the sequence decides.
    const a = single.add(single.initial(), [1]);
    const b = single.add(single.initial(), [2]);
    expect(single.result(single.merge?.(b, a))).toBe(1);
    expect(single.undo).toBeUndefined();
  });
});

describe('LATEST_BY_OFFSET (latest-offset-udaf.json)', () => {
  it('keeps the last value per key', () => {
    const latest = agg('LATEST_BY_OFFSET', ['ARRAY<INT>']);
    expect(latest.intermediateType).toEqual(t('STRUCT<SEQ BIGINT, VAL ARRAY<INT>>'));
    expect(feedByKey(latest, [[0, [0, 1]], [1, [2]], [0, [3]], [1, [4]]])).toEqual([[0, 1], [2], [3], [4]]);
    expect(latest.result(latest.initial())).toBeNull();
  });

  it('ignores nulls unless told not to', () => {
    expect(feed(agg('LATEST_BY_OFFSET', ['INTEGER', 'BOOLEAN'], [false]), rows(12, null, 13)).results).toEqual([12, null, 13]);
    expect(feed(agg('LATEST_BY_OFFSET', ['INTEGER']), rows(12, null, 13)).results).toEqual([12, 12, 13]);
    expect(feed(agg('LATEST_BY_OFFSET', ['INTEGER', 'INTEGER', 'BOOLEAN'], [2, false]), rows(12, null, 13)).results).toEqual([
      [12], [12, null], [null, 13],
    ]);
    expect(feed(agg('LATEST_BY_OFFSET', ['INTEGER', 'INTEGER'], [2]), rows(12, null)).results).toEqual([[12], [12]]);
    expect(feed(agg('LATEST_BY_OFFSET', ['INTEGER', 'INTEGER'], [2]), rows(null, null)).results).toEqual([[], []]);
  });

  it('merges session windows', () => {
    const ignoring = agg('LATEST_BY_OFFSET', ['INTEGER']);
    expect(sessions(ignoring, [1], null)).toEqual({ each: [1], merged: 1 });
    const nulls = agg('LATEST_BY_OFFSET', ['INTEGER', 'BOOLEAN'], [false]);
    expect(sessions(nulls, [1, null], 2)).toEqual({ each: [1, null], merged: 2 });
    expect(sessions(nulls, [1], null)).toEqual({ each: [1], merged: null });
    const n = agg('LATEST_BY_OFFSET', ['INTEGER', 'INTEGER', 'BOOLEAN'], [2, true]);
    expect(sessions(n, [1, null], 2)).toEqual({ each: [[1], []], merged: [1, 2] });
    const nNulls = agg('LATEST_BY_OFFSET', ['INTEGER', 'INTEGER', 'BOOLEAN'], [2, false]);
    expect(sessions(nNulls, [1, null], 2)).toEqual({ each: [[1], [null]], merged: [null, 2] });
    // As ksqlDB's LatestByOffset: a merge keeps the n lowest sequences.
    const accs = [1, 2, 3, 4].map((v) => nNulls.add(nNulls.initial(), [v]));
    expect(nNulls.result(nNulls.merge?.(nNulls.merge?.(accs[0], accs[1]), nNulls.merge?.(accs[2], accs[3])))).toEqual([1, 2]);
    expect(nNulls.undo).toBeUndefined();
  });

  it('prefers a non-null value when merging with ignoreNulls', () => {
    const latest = agg('LATEST_BY_OFFSET', ['INTEGER']);
    const older = latest.add(latest.initial(), [1]);
    const newerEmpty = latest.initial();
    expect(latest.result(latest.merge?.(newerEmpty, older))).toBe(1);
    expect(latest.result(latest.merge?.(older, newerEmpty))).toBe(1);
  });
});
