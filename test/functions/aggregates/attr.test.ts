import { t } from '../calls.js';
import { agg, feed, resolveAgg, rows } from './run.js';

describe('ATTR (attr.json)', () => {
  it('returns the single value seen', () => {
    for (const type of ['STRING', 'INTEGER', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'STRUCT<A INT>']) {
      expect(resolveAgg('ATTR', [type]).returnType).toEqual(t(type));
    }
    expect(agg('ATTR', ['STRING']).intermediateType).toEqual(t('ARRAY<STRUCT<VALUE STRING, COUNT INTEGER>>'));
    expect(feed(agg('ATTR', ['STRING']), rows('s', 's', 's')).results).toEqual(['s', 's', 's']);
    expect(feed(agg('ATTR', ['BIGINT']), rows(1n, 1n)).results).toEqual([1n, 1n]);
  });

  it('returns null once a second value (null included) appears', () => {
    expect(feed(agg('ATTR', ['STRING']), rows('1', '2', '3')).results).toEqual(['1', null, null]);
    expect(feed(agg('ATTR', ['STRING']), rows('1', null, '1')).results).toEqual(['1', null, null]);
  });

  it('undoes back to a single value (table attr with tombstones)', () => {
    const attr = agg('ATTR', ['STRING']);
    const undo = attr.undo as NonNullable<typeof attr.undo>;
    let acc = attr.add(attr.initial(), ['1']); // k1 -> 1
    expect(attr.result(acc)).toBe('1');
    acc = attr.add(acc, ['1']); // k2 -> 1
    expect(attr.result(acc)).toBe('1');
    acc = undo(acc, ['1']); // k1 deleted
    expect(attr.result(acc)).toBe('1');
    acc = undo(acc, ['1']); // k2 deleted
    expect(attr.result(acc)).toBeNull();
    acc = attr.add(acc, ['2']); // k1 -> 2
    expect(attr.result(acc)).toBe('2');
    acc = attr.add(acc, ['3']); // k2 -> 3
    expect(attr.result(acc)).toBeNull();
    acc = undo(acc, ['3']); // k2 deleted
    expect(attr.result(acc)).toBe('2');
    expect(undo(attr.initial(), ['x'])).toEqual([]);
  });

  it('merges counts', () => {
    const attr = agg('ATTR', ['STRING']);
    const a = feed(attr, rows('x', 'x')).acc;
    const b = feed(attr, rows('x')).acc;
    expect(attr.merge?.(a, b)).toEqual([{ VALUE: 'x', COUNT: 3 }]);
    expect(attr.result(attr.merge?.(a, feed(attr, rows('y')).acc))).toBeNull();
  });
});
