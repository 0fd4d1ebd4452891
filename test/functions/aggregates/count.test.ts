import { emptySketch, javaObjectHash, mergeSketches, offer } from '../../../src/functions/aggregates/hyperloglog.js';
import { array, BIGINT, INTEGER, STRING } from '../../../src/schema/index.js';
import { agg, feed, feedByKey, resolveAgg, rows } from './run.js';

describe('COUNT', () => {
  it('counts every row for COUNT(*) and COUNT()', () => {
    const call = resolveAgg('COUNT', []);
    expect(call.returnType).toEqual(BIGINT);
    expect(call.literalParams).toBe(0);
    const count = call.create([]);
    expect(count.intermediateType).toEqual(BIGINT);
    expect(feed(count, [[], [], []]).results).toEqual([1n, 2n, 3n]);
  });

  it('skips null values of COUNT(col) (count.json, count literal)', () => {
    const count = agg('count', ['STRING']);
    expect(feed(count, rows('a', null, 'b')).results).toEqual([1n, 1n, 2n]);
    // count(1): a literal is never null.
    expect(feedByKey(agg('COUNT', ['INTEGER']), [['0', 1], ['0', 1], ['100', 1], ['100', 1]])).toEqual([1n, 2n, 1n, 2n]);
  });

  it('accepts any type, and NULL', () => {
    for (const t of ['ARRAY<INT>', 'MAP<STRING, INT>', 'STRUCT<A INT>', 'DECIMAL(4, 2)', null]) {
      expect(resolveAgg('COUNT', [t]).returnType).toEqual(BIGINT);
    }
  });

  it('undoes and merges', () => {
    const count = agg('COUNT', ['INTEGER']);
    expect(count.undo?.(5n, [1])).toBe(4n);
    expect(count.undo?.(5n, [null])).toBe(5n);
    expect(count.merge?.(2n, 3n)).toBe(5n);
  });
});

describe('COUNT_DISTINCT', () => {
  it('estimates with a HyperLogLog sketch (count-distinct.json)', () => {
    const call = resolveAgg('COUNT_DISTINCT', ['STRING']);
    expect(call.returnType).toEqual(BIGINT);
    const distinct = call.create([]);
    expect(distinct.intermediateType).toEqual(array(INTEGER));
    expect(feedByKey(distinct, [['foo', 'one'], ['foo', 'two'], ['foo', 'one'], ['foo', 'two'], ['bar', 'one'], ['foo', null]])).toEqual([
      1n, 2n, 2n, 2n, 1n, 2n,
    ]);
    expect((distinct.initial() as number[]).length).toBe(2731);
  });

  it('merges sketches register by register', () => {
    const hash = javaObjectHash(STRING);
    const distinct = agg('COUNT_DISTINCT', ['STRING']);
    const a = feed(distinct, rows('a', 'b', 'c')).acc;
    const b = feed(distinct, rows('c', 'd')).acc;
    expect(distinct.result(distinct.merge?.(a, b))).toBe(4n);
    expect(mergeSketches(offer(emptySketch(), hash('x')), emptySketch())).toEqual(offer(emptySketch(), hash('x')));
    expect(distinct.undo).toBeUndefined();
  });

  it('hashes other types by their Java toString', () => {
    const distinct = agg('COUNT_DISTINCT', ['STRUCT<A INT>']);
    expect(feed(distinct, rows({ A: 1 }, { A: 1 }, { A: 2 }, { A: null })).results).toEqual([1n, 1n, 2n, 3n]);
  });
});
