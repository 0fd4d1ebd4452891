import { FunctionValueError, type ArgShape } from '../../src/functions/index.js';
import type { SqlType } from '../../src/schema/index.js';
import { registry, t } from './calls.js';

const value = (type: string): ArgShape => ({ kind: 'value', type: t(type) });
const lambda = (arity: number, body: string | ((params: readonly SqlType[]) => SqlType)): ArgShape => ({
  kind: 'lambda',
  arity,
  typeBody: typeof body === 'string' ? () => t(body) : body,
});

function call(name: string, ...args: ArgShape[]): (...values: unknown[]) => unknown {
  const resolved = registry.resolveScalar(name, args);
  return (...values) => resolved.invoke(values);
}

/** A lambda body as ksqlDB compiles it: arithmetic on a NULL throws (unboxing). */
function strict<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    if (args.some((a) => a === null)) throw new Error('NullPointerException');
    return f(...args);
  };
}

const map = (...entries: [unknown, unknown][]): Map<unknown, unknown> => new Map(entries);

describe('qtt: transform-array.json, transform-map.json', () => {
  it('TRANSFORM maps every element; a failing lambda fails the call', () => {
    const plus5 = call('transform', value('ARRAY<INTEGER>'), lambda(1, 'INTEGER'));
    expect(plus5([3, 6], strict((x: number) => x + 5))).toEqual([8, 11]);
    expect(() => plus5([5, null], strict((x: number) => x + 5))).toThrow(FunctionValueError);
    expect(plus5(null, strict((x: number) => x + 5))).toBeNull();
    const upper = call('transform', value('ARRAY<STRING>'), lambda(1, 'STRING'));
    expect(upper(['check', null, 'null'], (x: string | null) => (x === null ? null : x.toUpperCase()))).toEqual(['CHECK', null, 'NULL']);
  });

  it('TRANSFORM types its result from the lambda', () => {
    const resolved = registry.resolveScalar('transform', [value('ARRAY<DOUBLE>'), lambda(1, 'STRING')]);
    expect(resolved.returnType).toEqual(t('ARRAY<STRING>'));
    expect(resolved.lambdaParamTypes[1]).toEqual([t('DOUBLE')]);
  });

  it('TRANSFORM over a map applies the key and value lambdas', () => {
    const f = call('transform', value('MAP<STRING, ARRAY<INTEGER>>'), lambda(2, 'STRING'), lambda(2, 'ARRAY<INTEGER>'));
    const maxAsString = (_k: string, v: number[]) => String(Math.max(...v));
    const identity = (_k: string, v: number[]) => v;
    expect(f(map(['5', [0, 1, 2]], ['4', [-1, -2]]), maxAsString, identity)).toEqual(map(['2', [0, 1, 2]], ['-1', [-1, -2]]));
    expect(f(null, maxAsString, identity)).toBeNull();
  });

  it('TRANSFORM over a map fails on a duplicate key or a NULL value (Collectors.toMap)', () => {
    const f = call('transform', value('MAP<STRING, ARRAY<INTEGER>>'), lambda(2, 'STRING'), lambda(2, 'ARRAY<INTEGER>'));
    const maxAsString = (_k: string, v: number[]) => String(Math.max(...v));
    expect(() => f(map(['1', [1, 2]], ['2', [-1, 2]]), maxAsString, (_k: string, v: number[]) => v)).toThrow(FunctionValueError);
    expect(() => f(map(['1', [1, 2]]), maxAsString, () => null)).toThrow(FunctionValueError);
    // Keys compare as values of the key lambda's type: the INTEGERs 0 and -0 are the same key.
    const intKeys = call('transform', value('MAP<STRING, INTEGER>'), lambda(2, 'INTEGER'), lambda(2, 'INTEGER'));
    expect(() => intKeys(map(['a', 0], ['b', -1]), (_k: string, v: number) => v * 0, (_k: string, v: number) => v)).toThrow(FunctionValueError);
    expect(registry.resolveScalar('transform', [value('MAP<STRING, INTEGER>'), lambda(2, 'STRING'), lambda(2, 'BIGINT')]).returnType).toEqual(
      t('MAP<STRING, BIGINT>'),
    );
  });
});

describe('qtt: filter.json', () => {
  it('FILTER keeps the elements the lambda accepts', () => {
    const f = call('filter', value('ARRAY<INTEGER>'), lambda(1, 'BOOLEAN'));
    const above5 = (x: number | null) => x !== null && x > 5;
    expect(f([3, 6, 2, 10], above5)).toEqual([6, 10]);
    expect(f([5, null], above5)).toEqual([]);
    expect(f(null, above5)).toBeNull();
  });

  it('FILTER fails when the lambda yields NULL instead of a BOOLEAN', () => {
    const f = call('filter', value('ARRAY<INTEGER>'), lambda(1, 'BOOLEAN'));
    expect(() => f([1, null], (x: number | null) => (x === null ? null : x > 0))).toThrow(FunctionValueError);
  });

  it('FILTER over a map', () => {
    const f = call('filter', value('MAP<STRING, INTEGER>'), lambda(2, 'BOOLEAN'));
    const pred = strict((k: string, v: number) => k.length * 5 > 15 && v % 5 === 0);
    expect(f(map(['a', 15], ['abc', 7]), pred)).toEqual(map());
    expect(f(map(['ab', 6], ['abcd', 15]), pred)).toEqual(map(['abcd', 15]));
    expect(() => f(map(['abcd', null], ['abcde', 25]), pred)).toThrow(FunctionValueError);
    expect(f(map(['null', 15], ['abcde', 25]), pred)).toEqual(map(['null', 15], ['abcde', 25]));
    expect(f(null, pred)).toBeNull();
  });

  it('FILTER over a map fails when it would keep a NULL value', () => {
    const f = call('filter', value('MAP<STRING, INTEGER>'), lambda(2, 'BOOLEAN'));
    expect(() => f(map(['a', null]), () => true)).toThrow(FunctionValueError);
  });
});

describe('qtt: reduce-array.json, reduce-map.json', () => {
  it('REDUCE folds an array; a NULL array leaves the state, a NULL state gives NULL', () => {
    const concat = call('reduce', value('ARRAY<STRING>'), value('STRING'), lambda(2, 'STRING'));
    const join = (s: string, x: string | null) => s + (x ?? '');
    expect(concat(['blah', 'blah', 'blaaah'], '', join)).toBe('blahblahblaaah');
    expect(concat(['to be or', null], '', join)).toBe('to be or');
    expect(concat(null, '', join)).toBe('');
    const sum = call('reduce', value('ARRAY<INTEGER>'), value('BIGINT'), lambda(2, 'BIGINT'));
    expect(sum([1, 2], null, strict((s: bigint, x: number) => s + BigInt(x)))).toBeNull();
    expect(sum(null, null, strict((s: bigint, x: number) => s + BigInt(x)))).toBeNull();
    expect(sum([1, 2], 10n, strict((s: bigint, x: number) => s + BigInt(x)))).toBe(13n);
  });

  it('REDUCE folds a map over its entries', () => {
    const f = call('reduce', value('MAP<STRING, INTEGER>'), value('INTEGER'), lambda(3, 'INTEGER'));
    const step = strict((s: number, k: string, v: number) => (k.length > 3 ? s + v : s - v));
    expect(f(map(['123', 3], ['12', 7], ['1234', 2]), 0, step)).toBe(-8);
    expect(() => f(map(['1', 1], ['ttttt', null], ['', 3]), 0, step)).toThrow(FunctionValueError);
    expect(f(null, 0, step)).toBe(0);
    expect(f(map(['a', 1]), null, step)).toBeNull();
  });

  it('REDUCE types its result as the state', () => {
    expect(registry.resolveScalar('reduce', [value('ARRAY<INTEGER>'), value('BIGINT'), lambda(2, 'BIGINT')]).returnType).toEqual(t('BIGINT'));
  });
});

describe('qtt: complex-lambda.json', () => {
  it('nests FILTER, TRANSFORM and REDUCE', () => {
    // TRANSFORM(FILTER(m, (a, b) => LEN(a) > 2 AND REDUCE(b, 0, (c, d) => c + d) < 20), ...)
    const reduce = call('reduce', value('ARRAY<INTEGER>'), value('INTEGER'), lambda(2, 'INTEGER'));
    const filter = call('filter', value('MAP<STRING, ARRAY<INTEGER>>'), lambda(2, 'BOOLEAN'));
    const transform = call('transform', value('MAP<STRING, ARRAY<INTEGER>>'), lambda(2, 'STRING'), lambda(2, 'INTEGER'));
    const sum = (b: number[] | null) => reduce(b, 0, strict((c: number, d: number) => c + d)) as number;
    const kept = (m: Map<unknown, unknown>) => filter(m, (a: string, b: number[] | null) => a.length > 2 && sum(b) < 20) as Map<unknown, unknown>;
    const run = (m: Map<unknown, unknown>) =>
      transform(
        kept(m),
        (x: string) => x.toUpperCase(),
        (_x: string, y: number[]) => sum(y),
      );
    expect(run(map(['a', [2, 4, 5]], ['bcd', [-5, 7]]))).toEqual(map(['BCD', 2]));
    expect(run(map(['hello', [200, 4, 5]], ['hey', [14, -3, -15, 3]], ['wow', [2, 3, 4]]))).toEqual(map(['HEY', -1], ['WOW', 9]));
    expect(run(map(['a', null], ['bcdefg', [-15, 72]]))).toEqual(map());
  });
});
