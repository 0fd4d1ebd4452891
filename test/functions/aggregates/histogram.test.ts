import { t } from '../calls.js';
import { agg, feed, feedByKey, resolveAgg, rows } from './run.js';

const obj = (m: unknown) => Object.fromEntries(m as Map<string, bigint>);

describe('HISTOGRAM (histogram.json)', () => {
  it('counts each string', () => {
    expect(resolveAgg('HISTOGRAM', ['STRING']).returnType).toEqual(t('MAP<STRING, BIGINT>'));
    const h = agg('histogram', ['STRING']);
    expect(h.intermediateType).toEqual(t('MAP<STRING, BIGINT>'));
    expect(feedByKey(h, [[0, 'foo'], [100, 'baz'], [0, 'bar'], [100, 'baz'], [100, 'foo']]).map(obj)).toEqual([
      { foo: 1n }, { baz: 1n }, { foo: 1n, bar: 1n }, { baz: 2n }, { baz: 2n, foo: 1n },
    ]);
  });

  it('undoes (histogram on a table)', () => {
    const h = agg('histogram', ['STRING']);
    const west = feed(h, rows('carol', 'dave', 'bob')).acc;
    const undone = h.undo?.(west, ['bob']);
    expect(obj(undone)).toEqual({ carol: 1n, dave: 1n });
    expect(obj(h.undo?.(feed(h, rows('a', 'a')).acc, ['a']))).toEqual({ a: 1n });
    expect(h.undo?.(west, ['nobody'])).toBe(west);
    expect(obj(west)).toEqual({ carol: 1n, dave: 1n, bob: 1n });
  });

  it('holds at most 1000 entries', () => {
    const h = agg('histogram', ['STRING']);
    const full = feed(h, rows(...Array.from({ length: 1000 }, (_, i) => `v${i}`))).acc as Map<string, bigint>;
    expect(h.add(full, ['new'])).toBe(full);
    expect((h.add(full, ['v1']) as Map<string, bigint>).get('v1')).toBe(2n);
    expect((h.merge?.(full, new Map([['v2', 3n], ['other', 1n]])) as Map<string, bigint>).get('v2')).toBe(4n);
    expect((h.merge?.(full, new Map([['other', 1n]])) as Map<string, bigint>).has('other')).toBe(false);
  });

  it('merges', () => {
    const h = agg('histogram', ['STRING']);
    expect(obj(h.merge?.(new Map([['a', 1n]]), new Map([['a', 2n], ['b', 1n]])))).toEqual({ a: 3n, b: 1n });
  });
});
