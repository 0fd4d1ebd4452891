import { Decimal } from '../../src/schema/index.js';
import { fn, resolve, t } from './calls.js';

describe('COALESCE (null.json)', () => {
  it('returns the first non-NULL argument', () => {
    const coalesce = fn('COALESCE', 'INTEGER', 'INTEGER', 'INTEGER', 'INTEGER');
    expect(coalesce(1, null, 1, null)).toBe(1);
    expect(coalesce(null, null, null, 2)).toBe(2);
    expect(coalesce(null, null, null, null)).toBeNull();
    expect(fn('COALESCE', 'STRING', 'STRING')('not null', 'x')).toBe('not null');
    expect(fn('COALESCE', 'STRING', 'STRING')(null, 'x')).toBe('x');
    expect(fn('COALESCE', 'ARRAY<INTEGER>', 'ARRAY<INTEGER>')(null, [10, 20])).toEqual([10, 20]);
    expect(fn('COALESCE', 'DATE')(null)).toBeNull();
    expect(resolve('COALESCE', 'DATE', 'DATE').returnType).toEqual(t('DATE'));
  });
});

describe('IFNULL (null.json)', () => {
  it('replaces a NULL expression', () => {
    expect(fn('IFNULL', 'INTEGER', 'INTEGER')(1, 10)).toBe(1);
    expect(fn('IFNULL', 'INTEGER', 'INTEGER')(null, 10)).toBe(10);
    expect(fn('IFNULL', 'STRING', 'STRING')(null, 'x')).toBe('x');
    expect(fn('IFNULL', 'ARRAY<INTEGER>', 'ARRAY<INTEGER>')([1, 2, 3], [10, 20])).toEqual([1, 2, 3]);
  });
});

describe('NULLIF (null.json)', () => {
  it('returns NULL when the arguments are equal', () => {
    const ints = fn('NULLIF', 'INTEGER', 'INTEGER');
    expect(ints(1, 10)).toBe(1);
    expect(ints(10, 10)).toBeNull();
    expect(ints(null, 10)).toBeNull();
    expect(ints(3, null)).toBe(3);
    const strings = fn('NULLIF', 'STRING', 'STRING');
    expect(strings('not null', 'x')).toBe('not null');
    expect(strings('x', 'x')).toBeNull();
    const arrays = fn('NULLIF', 'ARRAY<INTEGER>', 'ARRAY<INTEGER>');
    expect(arrays([1, 2, 3], [1, 2, 3])).toBeNull();
    expect(arrays([4, 5, 6], [1, 2, 3])).toEqual([4, 5, 6]);
    expect(arrays([], [1, 2, 3])).toEqual([]);
  });

  it('compares like Java equals()', () => {
    const decimals = fn('NULLIF', 'DECIMAL(3, 2)', 'DECIMAL(3, 2)');
    expect(decimals(Decimal.parse('1.50'), Decimal.parse('1.5'))).toEqual(Decimal.parse('1.50'));
    expect(fn('NULLIF', 'DOUBLE', 'DOUBLE')(0, -0)).toBe(0);
    expect(fn('NULLIF', 'DOUBLE', 'DOUBLE')(NaN, NaN)).toBeNull();
  });
});
