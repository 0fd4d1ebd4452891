import { FunctionError, FunctionRegistry, FunctionValueError, type ArgShape, type FunctionDefinition } from '../../src/functions/index.js';
import { SqlValueError, type SqlType } from '../../src/schema/index.js';
import { registry, resolve, shapes, t } from './calls.js';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

function custom(...defs: FunctionDefinition[]): FunctionRegistry {
  const r = new FunctionRegistry();
  for (const d of defs) r.register(d);
  return r;
}

const lambda = (arity: number, body: (params: readonly SqlType[]) => SqlType): ArgShape => ({ kind: 'lambda', arity, typeBody: body });

describe('lookup', () => {
  it('reports unknown names as ksqlDB does', () => {
    expect(message(() => registry.resolveScalar('WONT_FIND_ME', []))).toBe("Can't find any functions with the name 'WONT_FIND_ME'");
    expect(registry.kindOf('wont_find_me')).toBeUndefined();
  });

  it('finds names in any case and knows their kind', () => {
    expect(registry.kindOf('Concat')).toBe('SCALAR');
    expect(registry.kindOf('CONCAT')).toBe('SCALAR');
    expect(resolve('ConCat', 'STRING', 'STRING').name).toBe('concat');
  });

  it('refuses duplicate names and duplicate signatures', () => {
    const def: FunctionDefinition = { kind: 'SCALAR', name: 'f', category: 'OTHER', description: '', variants: [{ params: ['INT'], returns: 'INT', impl: (x: number) => x }] };
    expect(() => custom(def, { ...def, name: 'F' })).toThrow(FunctionError);
    expect(() => custom({ ...def, variants: [def.variants[0], def.variants[0]] })).toThrow(/same name and parameter types/);
  });

  it('resolves only functions of the asked kind', () => {
    const r = custom({ kind: 'TABLE', name: 'explode_it', category: 'TABLE', description: '', variants: [{ params: ['ARRAY<T>'], returns: 'T', impl: (x: unknown[]) => x }] });
    expect(() => r.resolveScalar('explode_it', shapes('ARRAY<INT>'))).toThrow(/table function/);
    expect(r.resolveTable('explode_it', shapes('ARRAY<INT>')).returnType).toEqual(t('INT'));
  });
});

describe('resolution messages (greatest.json, least.json, null.json, explode.json)', () => {
  it('reports ambiguity between implicit casts', () => {
    expect(message(() => resolve('GREATEST', 'INTEGER', 'BIGINT'))).toMatch(
      /^Function 'greatest' cannot be resolved due to ambiguous method parameters \(INTEGER, BIGINT\)\.\nUse CAST\(\)/,
    );
    expect(message(() => resolve('least', 'INTEGER', 'BIGINT', 'DECIMAL(50, 30)'))).toContain(
      "Function 'least' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT, DECIMAL(50, 30)).",
    );
    expect(message(() => resolve('greatest', null, null, null, null))).toContain(
      "Function 'greatest' cannot be resolved due to ambiguous method parameters (null, null, null, null).",
    );
  });

  it('reports calls no variant accepts', () => {
    expect(message(() => resolve('greatest'))).toContain("Function 'greatest' does not accept parameters ().");
    expect(message(() => resolve('least', 'STRING', 'INTEGER'))).toContain("Function 'least' does not accept parameters (STRING, INTEGER).");
    expect(message(() => resolve('COALESCE'))).toContain("Function 'COALESCE' does not accept parameters ()");
    expect(message(() => resolve('geo_distance', 'DOUBLE', 'DOUBLE', 'STRING', 'INTEGER'))).toContain(
      "Function 'geo_distance' does not accept parameters",
    );
  });

  it('lists the valid alternatives with parameter names, as declared', () => {
    const r = custom({
      kind: 'TABLE',
      name: 'explode',
      category: 'TABLE',
      description: '',
      variants: [
        { params: ['ARRAY<DECIMAL>'], paramNames: ['input'], returns: (types) => (types[0] as { item: SqlType }).item, impl: (x: unknown[]) => x },
        { params: ['ARRAY<T>'], paramNames: ['list'], returns: 'T', impl: (x: unknown[]) => x },
      ],
    });
    expect(message(() => r.resolveTable('EXPLODE', shapes('MAP<STRING, INTEGER>')))).toContain(
      "Function 'explode' does not accept parameters (MAP<STRING, INTEGER>).\nValid alternatives are:\nexplode(ARRAY<DECIMAL> input)\nexplode(ARRAY<T> list)",
    );
  });

  it('formats variadic parameters with an ellipsis', () => {
    expect(message(() => resolve('greatest', 'BOOLEAN'))).toContain('greatest(INTEGER val, INTEGER... vals)');
  });
});

describe('resolution rules', () => {
  it('prefers exact matches over implicit casts (udf-implicit-cast.json: choose the exact match first)', () => {
    const r = custom({
      kind: 'SCALAR',
      name: 'test_udf',
      category: 'OTHER',
      description: '',
      variants: [
        { params: ['DOUBLE', 'STRING'], returns: 'STRING', impl: () => 'doStuffDoubleString' },
        { params: ['INTEGER', 'STRING'], returns: 'STRING', impl: () => 'doStuffIntString' },
        { params: ['BIGINT', 'STRING'], returns: 'STRING', impl: () => 'doStuffLongString' },
      ],
    });
    expect(r.resolveScalar('test_udf', shapes('INTEGER', 'STRING')).invoke([1, 'foo'])).toBe('doStuffIntString');
  });

  it('casts INTEGER, BIGINT and DECIMAL arguments to DOUBLE parameters when that is the only match', () => {
    const call = resolve('geo_distance', 'DOUBLE', 'DOUBLE', 'INTEGER', 'DECIMAL(3, 1)');
    expect(call.paramTypes).toEqual([t('DOUBLE'), t('DOUBLE'), t('DOUBLE'), t('DOUBLE')]);
    expect(call.returnType).toEqual(t('DOUBLE'));
  });

  it('picks the one variant every argument can be cast to (greatest: implicit casting to double)', () => {
    const call = resolve('greatest', 'INTEGER', 'BIGINT', 'DECIMAL(30, 18)', 'DOUBLE', null);
    expect(call.returnType).toEqual(t('DOUBLE'));
    expect(call.paramTypes).toEqual([t('DOUBLE'), t('DOUBLE'), t('DOUBLE'), t('DOUBLE'), t('DOUBLE')]);
  });

  it('matches any DECIMAL exactly and computes the result type (decimal widening)', () => {
    const call = resolve('greatest', 'DECIMAL(9, 2)', 'DECIMAL(7, 6)');
    expect(call.returnType).toEqual(t('DECIMAL(13, 6)'));
    expect(call.paramTypes).toEqual([t('DECIMAL(9, 2)'), t('DECIMAL(7, 6)')]);
  });

  it('casts STRING literals to DATE, TIME and TIMESTAMP parameters', () => {
    expect(resolve('greatest', 'DATE', 'DATE', null, 'STRING').paramTypes).toEqual([t('DATE'), t('DATE'), t('DATE'), t('DATE')]);
    expect(resolve('least', 'TIME', 'STRING').returnType).toEqual(t('TIME'));
    expect(resolve('least', 'TIMESTAMP', 'STRING').returnType).toEqual(t('TIMESTAMP'));
  });

  it('lets NULL match any parameter and types it from the chosen variant', () => {
    const call = resolve('greatest', 'INTEGER', 'INTEGER', 'INTEGER', null, 'INTEGER');
    expect(call.returnType).toEqual(t('INTEGER'));
    expect(call.paramTypes[3]).toEqual(t('INTEGER'));
  });

  it('binds generics exactly and consistently, without casts', () => {
    expect(resolve('COALESCE', 'INTEGER', null, 'INTEGER').returnType).toEqual(t('INTEGER'));
    expect(resolve('COALESCE', 'ARRAY<INTEGER>', 'ARRAY<INTEGER>').returnType).toEqual(t('ARRAY<INTEGER>'));
    expect(() => resolve('COALESCE', 'INTEGER', 'BIGINT')).toThrow(/does not accept parameters \(INTEGER, BIGINT\)/);
    expect(() => resolve('NULLIF', 'DECIMAL(4, 2)', 'DECIMAL(5, 2)')).toThrow(/does not accept/);
  });

  it('cannot type a result from NULLs alone', () => {
    expect(() => resolve('COALESCE', null, null, null)).toThrow(/cannot infer its return type T/);
  });

  it('treats a NULL passed as the one variadic argument as both a value and a varargs array, as ksqlDB does', () => {
    // UdfIndex puts both readings in its trie; they tie, so COALESCE(x, NULL) is ambiguous in ksqlDB.
    expect(() => resolve('COALESCE', 'INTEGER', null)).toThrow(/ambiguous method parameters \(INTEGER, null\)/);
    expect(resolve('COALESCE', 'INTEGER', null, null).returnType).toEqual(t('INTEGER'));
  });

  it('passes an ARRAY given for a variadic parameter as the varargs array', () => {
    const call = resolve('concat', 'ARRAY<STRING>');
    expect(call.returnType).toEqual(t('STRING'));
    expect(call.invoke([['a', null, 'b']])).toBe('ab');
  });

  it('ranks non-variadic over variadic, then more parameters, then fewer generics', () => {
    const r = custom({
      kind: 'SCALAR',
      name: 'pick',
      category: 'OTHER',
      description: '',
      variants: [
        { params: ['INTEGER'], variadic: true, returns: 'STRING', impl: () => 'int...' },
        { params: ['INTEGER', 'INTEGER'], variadic: true, returns: 'STRING', impl: () => 'int, int...' },
        { params: ['INTEGER', 'INTEGER'], returns: 'STRING', impl: () => 'int, int' },
        { params: ['T', 'T', 'T'], returns: 'STRING', impl: () => 'T, T, T' },
        { params: ['INTEGER', 'INTEGER', 'T'], returns: 'STRING', impl: () => 'int, int, T' },
      ],
    });
    const pick = (...types: (string | null)[]) => r.resolveScalar('pick', shapes(...types)).invoke(types.map(() => 1));
    expect(pick('INTEGER', 'INTEGER')).toBe('int, int');
    // Both variadic variants take one argument; the one declaring more parameters wins.
    expect(pick('INTEGER')).toBe('int, int...');
    expect(pick('INTEGER', 'INTEGER', 'INTEGER')).toBe('int, int, T');
    expect(pick('INTEGER', 'INTEGER', 'INTEGER', 'INTEGER')).toBe('int, int...');
  });

  it('supports a variadic parameter in the middle, packing its run into one array', () => {
    const r = custom({
      kind: 'SCALAR',
      name: 'mid_var_arg',
      category: 'OTHER',
      description: '',
      variants: [
        {
          params: ['BIGINT', 'INTEGER', 'STRING'],
          variadic: 1,
          returns: 'STRING',
          nulls: 'pass',
          impl: (a: bigint, ints: number[], s: string) => `${a}|${ints.join(',')}|${s}`,
        },
      ],
    });
    expect(r.resolveScalar('mid_var_arg', shapes('BIGINT', 'INTEGER', 'INTEGER', 'STRING')).invoke([1n, 2, 3, 'x'])).toBe('1|2,3|x');
    expect(r.resolveScalar('mid_var_arg', shapes('BIGINT', 'STRING')).invoke([1n, 'x'])).toBe('1||x');
    expect(() => r.resolveScalar('mid_var_arg', shapes('BIGINT', 'INTEGER', 'INTEGER', 'INTEGER'))).toThrow(
      "Function 'mid_var_arg' does not accept parameters (BIGINT, INTEGER, INTEGER, INTEGER).",
    );
  });

  it('types lambdas from the generics the other arguments bind, then binds the lambda result', () => {
    const r = custom({
      kind: 'SCALAR',
      name: 'transform',
      category: 'LAMBDA',
      description: '',
      variants: [
        {
          params: ['ARRAY<T>', 'LAMBDA(T) => R'],
          returns: 'ARRAY<R>',
          impl: (xs: unknown[], f: (x: unknown) => unknown) => xs.map(f),
        },
        {
          params: ['MAP<K, V>', 'LAMBDA(K, V) => R', 'LAMBDA(K, V) => U'],
          returns: 'MAP<R, U>',
          impl: () => new Map(),
        },
      ],
    });
    const seen: (readonly SqlType[])[] = [];
    const call = r.resolveScalar('transform', [
      { kind: 'value', type: t('ARRAY<INTEGER>') },
      lambda(1, (ps) => {
        seen.push(ps);
        return t('STRING');
      }),
    ]);
    expect(seen).toEqual([[t('INTEGER')]]);
    expect(call.returnType).toEqual(t('ARRAY<STRING>'));
    expect(call.lambdaParamTypes).toEqual([undefined, [t('INTEGER')]]);
    expect(call.paramTypes).toEqual([t('ARRAY<INTEGER>'), undefined]);
    expect(call.invoke([[1, 2], (x: number) => `#${x}`])).toEqual(['#1', '#2']);

    const onMap = r.resolveScalar('transform', [
      { kind: 'value', type: t('MAP<STRING, INTEGER>') },
      lambda(2, () => t('BIGINT')),
      lambda(2, (ps) => ps[1]),
    ]);
    expect(onMap.returnType).toEqual(t('MAP<BIGINT, INTEGER>'));
    // A lambda of the wrong arity matches nothing.
    expect(() => r.resolveScalar('transform', [{ kind: 'value', type: t('ARRAY<INTEGER>') }, lambda(2, () => t('INT'))])).toThrow(
      /does not accept parameters \(ARRAY<INTEGER>, LAMBDA\(2\)\)/,
    );
  });

  it('rejects a lambda whose body contradicts a bound generic or a fixed return type', () => {
    const r = custom({
      kind: 'SCALAR',
      name: 'reduce',
      category: 'LAMBDA',
      description: '',
      variants: [{ params: ['ARRAY<T>', 'S', 'LAMBDA(S, T) => S'], returns: 'S', impl: () => null }],
    }, {
      kind: 'SCALAR',
      name: 'filter',
      category: 'LAMBDA',
      description: '',
      variants: [{ params: ['ARRAY<T>', 'LAMBDA(T) => BOOLEAN'], returns: 'ARRAY<T>', impl: () => null }],
    });
    const reduce = (state: string, body: string) =>
      r.resolveScalar('reduce', [{ kind: 'value', type: t('ARRAY<INTEGER>') }, { kind: 'value', type: t(state) }, lambda(2, () => t(body))]);
    expect(reduce('BIGINT', 'BIGINT').returnType).toEqual(t('BIGINT'));
    expect(() => reduce('INTEGER', 'BIGINT')).toThrow(/expects a lambda returning INTEGER, but the lambda returns BIGINT/);
    expect(() => r.resolveScalar('filter', [{ kind: 'value', type: t('ARRAY<INTEGER>') }, lambda(1, () => t('INTEGER'))])).toThrow(
      /lambda returning BOOLEAN/,
    );
  });

  it('matches interval units only to INTERVALUNIT parameters', () => {
    const r = custom({
      kind: 'SCALAR',
      name: 'dateadd',
      category: 'DATE / TIME',
      description: '',
      variants: [{ params: ['INTERVALUNIT', 'INTEGER', 'DATE'], paramNames: ['unit', 'interval', 'date'], returns: 'DATE', impl: (u: string, n: number, d: number) => (u === 'DAYS' ? d + n : d) }],
    });
    const call = r.resolveScalar('dateadd', [{ kind: 'intervalUnit', unit: 'DAYS' }, ...shapes('INTEGER', 'DATE')]);
    expect(call.invoke(['DAYS', 10, 100])).toBe(110);
    expect(call.paramTypes).toEqual([undefined, t('INTEGER'), t('DATE')]);
    expect(() => r.resolveScalar('dateadd', shapes('DATE', 'INTEGER', 'DATE'))).toThrow(
      "Function 'dateadd' does not accept parameters (DATE, INTEGER, DATE).",
    );
  });

  it('resolves aggregates without implicit casts', () => {
    const r = custom({
      kind: 'AGGREGATE',
      name: 'VAR_ARG',
      category: 'AGGREGATE',
      description: '',
      variants: [
        {
          params: ['BIGINT', 'STRING'],
          variadic: true,
          returns: 'BIGINT',
          create: () => ({ initial: () => 0n, add: (a) => a, result: (a) => a }),
        },
      ],
    });
    expect(r.kindOf('var_arg')).toBe('AGGREGATE');
    const agg = r.resolveAggregate('var_arg', shapes('BIGINT', 'STRING', 'STRING'));
    expect(agg.returnType).toEqual(t('BIGINT'));
    expect(agg.create([]).initial()).toBe(0n);
    expect(() => r.resolveAggregate('var_arg', shapes('INTEGER', 'STRING'))).toThrow("Function 'VAR_ARG' does not accept parameters (INTEGER, STRING).");
  });
});

describe('invoke', () => {
  const r = custom({
    kind: 'SCALAR',
    name: 'boom',
    category: 'OTHER',
    description: '',
    variants: [
      { params: ['INTEGER'], returns: 'INTEGER', impl: (x: number) => { if (x < 0) throw new Error('negative'); return x; } },
      { params: ['STRING'], returns: 'STRING', nulls: 'pass', impl: (s: string | null) => s ?? 'was null' },
      { params: ['INTEGER', 'INTEGER', 'INTEGER'], returns: 'INTEGER', impl: (a: number, b: number, c: number) => a + b + c },
    ],
  });

  it('propagates NULL without calling the implementation by default', () => {
    expect(r.resolveScalar('boom', shapes('INTEGER')).invoke([null])).toBeNull();
    expect(r.resolveScalar('boom', shapes('INTEGER', 'INTEGER', 'INTEGER')).invoke([1, null, 2])).toBeNull();
    expect(r.resolveScalar('boom', shapes('INTEGER', 'INTEGER', 'INTEGER')).invoke([1, 2, 3])).toBe(6);
  });

  it('hands NULL to implementations that take it', () => {
    expect(r.resolveScalar('boom', shapes('STRING')).invoke([null])).toBe('was null');
  });

  it('turns failures into value errors the runtime logs and evaluates to NULL', () => {
    const call = r.resolveScalar('boom', shapes('INTEGER'));
    let error: unknown;
    try {
      call.invoke([-1]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FunctionValueError);
    expect(error).toBeInstanceOf(SqlValueError);
    expect((error as Error).message).toBe('Failed to invoke function BOOM: negative');
  });
});

describe('listing', () => {
  it('lists every function once, sorted, with upper-case names', () => {
    const names = registry.list().map((f) => f.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('SUBSTRING');
  });

  it('describes a function with its variants', () => {
    const info = registry.describe('substring');
    expect(info).toMatchObject({ name: 'SUBSTRING', kind: 'SCALAR', category: 'STRING' });
    expect(info.variants.map((v) => v.signature)).toContain('SUBSTRING(str VARCHAR, pos INT)');
    expect(registry.describe('greatest').variants[0]).toMatchObject({ signature: 'GREATEST(val INT, vals INT[])', returns: 'INT' });
    expect(() => registry.describe('nope')).toThrow("Can't find any functions with the name 'nope'");
  });
});
