import { accepts, concreteType, formatPattern, functionArgumentCanCast, hasGenerics, parsePattern } from '../../src/functions/patterns.js';
import type { SqlType } from '../../src/schema/index.js';
import { t } from './calls.js';

describe('parsePattern', () => {
  it.each([
    ['INT', 'INTEGER'],
    ['varchar', 'STRING'],
    ['DECIMAL', 'DECIMAL'],
    ['DECIMAL(4, 2)', 'DECIMAL(4, 2)'],
    ['ARRAY<T>', 'ARRAY<T>'],
    ['MAP<STRING, ARRAY<V1>>', 'MAP<STRING, ARRAY<V1>>'],
    ['STRUCT', 'STRUCT'],
    ['STRUCT<A INT, `b c` STRING>', 'STRUCT<A INTEGER, b c STRING>'],
    ['LAMBDA(T, U) => V', 'LAMBDA (T, U) => V'],
    ['LAMBDA() => BOOLEAN', 'LAMBDA () => BOOLEAN'],
    ['ANY', 'ANY'],
    ['INTERVALUNIT', 'INTERVALUNIT'],
  ])('%s', (text, formatted) => {
    expect(formatPattern(parsePattern(text))).toBe(formatted);
  });

  it('rejects malformed patterns', () => {
    for (const bad of ['ARRAY<', 'NOPE', 'MAP<INT>', 'INT INT', 'DECIMAL(1)', '#']) {
      expect(() => parsePattern(bad)).toThrow(/Invalid type pattern/);
    }
  });

  it('knows which patterns hold generics', () => {
    expect(hasGenerics(parsePattern('MAP<STRING, T>'))).toBe(true);
    expect(hasGenerics(parsePattern('LAMBDA(INT) => R'))).toBe(true);
    expect(hasGenerics(parsePattern('ARRAY<DECIMAL>'))).toBe(false);
  });
});

describe('accepts', () => {
  const value = (type: string | null) => ({ kind: 'value' as const, type: type === null ? null : t(type) });
  const match = (pattern: string, type: string | null, casts = false, bindings = new Map<string, SqlType>()) =>
    accepts(parsePattern(pattern), value(type), bindings, casts);

  it('matches base types exactly, any DECIMAL for DECIMAL', () => {
    expect(match('INT', 'INT')).toBe(true);
    expect(match('BIGINT', 'INT')).toBe(false);
    expect(match('DECIMAL', 'DECIMAL(10, 3)')).toBe(true);
    expect(match('ARRAY<DECIMAL>', 'ARRAY<DECIMAL(1, 0)>')).toBe(true);
    expect(match('MAP<STRING, INT>', 'MAP<STRING, BIGINT>')).toBe(false);
  });

  it('casts as ksqlDB casts function arguments', () => {
    expect(match('BIGINT', 'INT', true)).toBe(true);
    expect(match('DECIMAL', 'BIGINT', true)).toBe(true);
    expect(match('DOUBLE', 'DECIMAL(4, 2)', true)).toBe(true);
    expect(match('DECIMAL', 'DOUBLE', true)).toBe(false);
    expect(match('ARRAY<DOUBLE>', 'ARRAY<INT>', true)).toBe(true);
    expect(match('DATE', 'STRING', true)).toBe(true);
    expect(match('STRING', 'INT', true)).toBe(false);
    expect(functionArgumentCanCast('STRING', 'BYTES')).toBe(true);
    expect(functionArgumentCanCast('DATE', 'TIMESTAMP')).toBe(false);
  });

  it('matches structs by their fields, exactly; an empty struct matches any', () => {
    expect(match('STRUCT<A STRING>', 'STRUCT<A STRING>')).toBe(true);
    expect(match('STRUCT<A STRING>', 'STRUCT<A STRING, B INT>')).toBe(false);
    expect(match('STRUCT<A BIGINT>', 'STRUCT<A INT>', true)).toBe(false);
    expect(match('STRUCT', 'STRUCT<X INT>')).toBe(true);
  });

  it('binds generics once, exactly, and never casts them', () => {
    const b = new Map<string, SqlType>();
    expect(match('ARRAY<T>', 'ARRAY<INT>', true, b)).toBe(true);
    expect(b.get('T')).toEqual(t('INT'));
    expect(match('T', 'BIGINT', true, b)).toBe(false);
    expect(b.get('T')).toEqual(t('INT'));
    expect(match('MAP<K, V>', 'MAP<STRING, INT>', false, b)).toBe(true);
    expect(match('T', null, false, b)).toBe(true);
  });

  it('matches lambdas by arity and interval units by kind', () => {
    const b = new Map<string, SqlType>();
    expect(accepts(parsePattern('LAMBDA(T) => U'), { kind: 'lambda', arity: 1, typeBody: () => t('INT') }, b, false)).toBe(true);
    expect(accepts(parsePattern('LAMBDA(T) => U'), { kind: 'lambda', arity: 2, typeBody: () => t('INT') }, b, false)).toBe(false);
    expect(accepts(parsePattern('T'), { kind: 'lambda', arity: 1, typeBody: () => t('INT') }, b, false)).toBe(false);
    expect(accepts(parsePattern('INTERVALUNIT'), { kind: 'intervalUnit', unit: 'DAYS' }, b, false)).toBe(true);
    expect(accepts(parsePattern('STRING'), { kind: 'intervalUnit', unit: 'DAYS' }, b, false)).toBe(false);
  });
});

describe('concreteType', () => {
  it('fills in DECIMAL from the argument, widening integers', () => {
    expect(concreteType(parsePattern('DECIMAL'), t('INT'), new Map())).toEqual(t('DECIMAL(10, 0)'));
    expect(concreteType(parsePattern('DECIMAL'), t('BIGINT'), new Map())).toEqual(t('DECIMAL(19, 0)'));
    expect(concreteType(parsePattern('ARRAY<DECIMAL>'), t('ARRAY<DECIMAL(3, 1)>'), new Map())).toEqual(t('ARRAY<DECIMAL(3, 1)>'));
    expect(concreteType(parsePattern('DECIMAL'), null, new Map())).toBeUndefined();
  });

  it('applies generic bindings', () => {
    expect(concreteType(parsePattern('MAP<STRING, T>'), null, new Map([['T', t('INT')]]))).toEqual(t('MAP<STRING, INT>'));
    expect(concreteType(parsePattern('T'), null, new Map())).toBeUndefined();
  });
});
