/**
 * Compiles typed expressions into JavaScript functions, once per query. The
 * generated code reads row positions directly, inlines the common arithmetic
 * and comparisons, and calls pre-resolved helpers (functions, casts, decimal
 * maths) through an environment array: no AST walk and no name lookup per record.
 *
 * SQL NULL is JS null; three-valued logic is generated explicitly.
 */
import type { TypedExpr } from '../planner/typed.js';
import {
  castValue,
  compileArithmetic,
  Decimal,
  negateValue,
  type SqlType,
} from '../schema/index.js';
import { sqlCompare, sqlEquals } from './values.js';

export type RowFn = (row: unknown[]) => unknown;

/** Thrown by generated code when evaluation fails; carries the expression text for the processing log. */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
  constructor(
    message: string,
    readonly expression: string,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

/** Where a function call that throws is reported (then it evaluates to null, as in ksqlDB). */
export type CallErrorHandler = (call: string, err: unknown) => void;

class CodeGen {
  readonly env: unknown[] = [];
  private guardRef?: string;

  constructor(private readonly onCallError?: CallErrorHandler) {}

  /** The helper that invokes a function, reporting a throw and giving null; undefined: calls are not guarded. */
  guard(): string | undefined {
    const report = this.onCallError;
    if (!report) return undefined;
    this.guardRef ??= this.constant((fn: { invoke(args: readonly unknown[]): unknown }, args: readonly unknown[], text: string) => {
      try {
        return fn.invoke(args);
      } catch (err) {
        report(text, err);
        return null;
      }
    });
    return this.guardRef;
  }
  private temps = 0;
  private lambdas = 0;

  lambdaId(): number {
    return this.lambdas++;
  }
  private readonly tempStack: string[][] = [[]];

  constant(value: unknown): string {
    this.env.push(value);
    return `E[${this.env.length - 1}]`;
  }

  temp(): string {
    const name = `t${this.temps++}`;
    (this.tempStack[this.tempStack.length - 1] as string[]).push(name);
    return name;
  }

  pushScope(): void {
    this.tempStack.push([]);
  }

  popScope(): string[] {
    return this.tempStack.pop() ?? [];
  }

  declarations(names: readonly string[]): string {
    return names.length === 0 ? '' : `let ${names.join(', ')};`;
  }
}

/**
 * Compiles one expression to `row => value`. Errors inside propagate (callers decide
 * null-or-drop), except with `onCallError`: then a function call that throws evaluates to null
 * (reported there) and the rest of the expression goes on — an ARRAY / MAP / STRUCT keeps its
 * other elements, COALESCE and IFNULL take their fallback.
 */
export function compileExpr(expr: TypedExpr, onCallError?: CallErrorHandler): RowFn {
  const gen = new CodeGen(onCallError);
  const body = emit(expr, gen, new Map());
  const temps = gen.popScope();
  const source = `"use strict"; return function (row) { ${gen.declarations(temps)} return ${body}; };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('E', source) as (env: unknown[]) => RowFn;
  return factory(gen.env);
}

/** Compiles a predicate: true keeps the row; null and false drop it. */
export function compilePredicate(expr: TypedExpr): (row: unknown[]) => boolean {
  const fn = compileExpr(expr);
  return (row) => fn(row) === true;
}

function param(name: string, params: ReadonlyMap<string, string>): string {
  const id = params.get(name);
  if (id === undefined) throw new Error(`lambda parameter ${name} is not in scope`);
  return id;
}

/** JS expression text computing `e` from `row` (and lambda parameters). */
function emit(e: TypedExpr, gen: CodeGen, params: ReadonlyMap<string, string>): string {
  switch (e.kind) {
    case 'literal':
      return literal(e.value, gen);
    case 'column':
      return `row[${e.index}]`;
    case 'lambdaParam':
      return param(e.name, params);
    case 'call': {
      const fn = gen.constant(e.fn);
      const args = e.args.map((a) => emit(a, gen, params));
      const guard = gen.guard();
      if (guard !== undefined) return `${guard}(${fn}, [${args.join(', ')}], ${gen.constant(e.text)})`;
      return `${fn}.invoke([${args.join(', ')}])`;
    }
    case 'lambda': {
      const inner = new Map(params);
      const lambda = gen.lambdaId();
      const ids = e.params.map((p, i) => {
        const id = `p${lambda}_${i}`;
        inner.set(p, id);
        return id;
      });
      gen.pushScope();
      const body = emit(e.body, gen, inner);
      const temps = gen.popScope();
      return `((${ids.join(', ')}) => { ${gen.declarations(temps)} return ${body}; })`;
    }
    case 'cast': {
      if (e.from === null) return 'null';
      const fn = gen.constant(castFn(e.from, e.type));
      const t = gen.temp();
      return `((${t} = ${emit(e.operand, gen, params)}) === null ? null : ${fn}(${t}))`;
    }
    case 'arithmetic':
      return arithmetic(e, gen, params);
    case 'negate': {
      const t = gen.temp();
      const v = emit(e.operand, gen, params);
      if (e.type.kind === 'DOUBLE') return `((${t} = ${v}) === null ? null : -${t})`;
      const fn = gen.constant((x: unknown) => negateValue(x, e.type));
      return `((${t} = ${v}) === null ? null : ${fn}(${t}))`;
    }
    case 'concat': {
      const a = gen.temp();
      const b = gen.temp();
      return `((${a} = ${emit(e.left, gen, params)}) === null || (${b} = ${emit(e.right, gen, params)}) === null ? null : ${a} + ${b})`;
    }
    case 'compare':
      return compare(e, gen, params);
    case 'and': {
      const a = gen.temp();
      const b = gen.temp();
      return `((${a} = ${emit(e.left, gen, params)}) === false ? false : (${b} = ${emit(e.right, gen, params)}) === false ? false : (${a} === null || ${b} === null) ? null : true)`;
    }
    case 'or': {
      const a = gen.temp();
      const b = gen.temp();
      return `((${a} = ${emit(e.left, gen, params)}) === true ? true : (${b} = ${emit(e.right, gen, params)}) === true ? true : (${a} === null || ${b} === null) ? null : false)`;
    }
    case 'not': {
      const t = gen.temp();
      return `((${t} = ${emit(e.operand, gen, params)}) === null ? null : !${t})`;
    }
    case 'isNull':
      return `(${emit(e.operand, gen, params)} ${e.not ? '!==' : '==='} null)`;
    case 'between': {
      const v = gen.temp();
      const lo = gen.temp();
      const hi = gen.temp();
      const cmp = comparator(e.compareType, gen);
      const inside = `(${cmp}(${v}, ${lo}) >= 0 && ${cmp}(${v}, ${hi}) <= 0)`;
      return `((${v} = ${emit(e.operand, gen, params)}) === null || (${lo} = ${emit(e.low, gen, params)}) === null || (${hi} = ${emit(e.high, gen, params)}) === null ? false : ${e.not ? `!${inside}` : inside})`;
    }
    case 'in': {
      const v = gen.temp();
      const eq = gen.constant((a: unknown, b: unknown) => sqlEquals(a, b, e.compareType));
      const items = e.list.map((x) => emit(x, gen, params));
      const fn = gen.constant((value: unknown, list: readonly unknown[], equals: (a: unknown, b: unknown) => boolean) => {
        let sawNull = false;
        for (const item of list) {
          if (item === null) sawNull = true;
          else if (equals(value, item)) return true;
        }
        return sawNull ? null : false;
      });
      const t = gen.temp();
      const found = `(${t} = ${fn}(${v}, [${items.join(', ')}], ${eq}))`;
      return `((${v} = ${emit(e.operand, gen, params)}) === null ? null : ${e.not ? `(${found} === null ? null : !${t})` : found})`;
    }
    case 'like': {
      const v = gen.temp();
      const p = gen.temp();
      const matcher = gen.constant(likeMatcher(e.escape));
      const test = `${matcher}(${v}, ${p})`;
      return `((${v} = ${emit(e.operand, gen, params)}) === null || (${p} = ${emit(e.pattern, gen, params)}) === null ? false : ${e.not ? `!${test}` : test})`;
    }
    case 'case': {
      let out = e.else ? emit(e.else, gen, params) : 'null';
      for (let i = e.whens.length - 1; i >= 0; i--) {
        const w = e.whens[i] as { when: TypedExpr; then: TypedExpr };
        out = `(${emit(w.when, gen, params)} === true ? ${emit(w.then, gen, params)} : ${out})`;
      }
      return out;
    }
    case 'deref': {
      const t = gen.temp();
      const f = gen.temp();
      return `((${t} = ${emit(e.base, gen, params)}) === null || (${f} = ${t}[${JSON.stringify(e.field)}]) === undefined ? null : ${f})`;
    }
    case 'subscript': {
      const b = gen.temp();
      const i = gen.temp();
      const base = emit(e.base, gen, params);
      const index = emit(e.index, gen, params);
      if (e.base.type?.kind === 'MAP') {
        const get = gen.constant(mapGet);
        return `((${b} = ${base}) === null || (${i} = ${index}) === null ? null : ${get}(${b}, ${i}))`;
      }
      const at = gen.constant(arrayAt);
      return `((${b} = ${base}) === null || (${i} = ${index}) === null ? null : ${at}(${b}, ${i}))`;
    }
    case 'arrayCtor':
      return `[${e.items.map((x) => emit(x, gen, params)).join(', ')}]`;
    case 'mapCtor':
      return `new Map([${e.entries.map((en) => `[${emit(en.key, gen, params)}, ${emit(en.value, gen, params)}]`).join(', ')}])`;
    case 'structCtor':
      return `({ ${e.fields.map((f) => `${JSON.stringify(f.name)}: ${emit(f.value, gen, params)}`).join(', ')} })`;
    default: {
      const unreachable: never = e;
      throw new Error(`cannot compile ${JSON.stringify(unreachable)}`);
    }
  }
}

function literal(value: unknown, gen: CodeGen): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0)) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return gen.constant(value);
}

function castFn(from: SqlType, to: SqlType): (v: unknown) => unknown {
  if (from.kind === 'INTEGER' && to.kind === 'BIGINT') return (v) => BigInt(v as number);
  if ((from.kind === 'INTEGER' || from.kind === 'BIGINT') && to.kind === 'DOUBLE') return (v) => Number(v);
  return (v) => castValue(v, from, to);
}

/** Inlined maths for INTEGER and DOUBLE; the schema layer's evaluator for the rest. */
function arithmetic(e: Extract<TypedExpr, { kind: 'arithmetic' }>, gen: CodeGen, params: ReadonlyMap<string, string>): string {
  const a = gen.temp();
  const b = gen.temp();
  const left = emit(e.left, gen, params);
  const right = emit(e.right, gen, params);
  const lt = e.left.type as SqlType;
  const rt = e.right.type as SqlType;
  // Inside a lambda ksqlDB's arithmetic on a null fails (and the whole expression becomes null).
  const onNull = params.size > 0 ? `${gen.constant(nullInLambda)}(${JSON.stringify(e.text)})` : 'null';
  const guard = `(${a} = ${left}) === null || (${b} = ${right}) === null ? ${onNull} : `;
  if (e.type.kind === 'DOUBLE' && lt.kind !== 'DECIMAL' && rt.kind !== 'DECIMAL') {
    const l = lt.kind === 'BIGINT' ? `Number(${a})` : a;
    const r = rt.kind === 'BIGINT' ? `Number(${b})` : b;
    if (e.op === '%') {
      const mod = gen.constant((x: number, y: number) => x % y);
      return `(${guard}${mod}(${l}, ${r}))`;
    }
    return `(${guard}(${l} ${e.op} ${r}))`;
  }
  if (e.type.kind === 'INTEGER' && lt.kind === 'INTEGER' && rt.kind === 'INTEGER' && (e.op === '+' || e.op === '-')) {
    return `(${guard}((${a} ${e.op} ${b}) | 0))`;
  }
  const fn = gen.constant(compileArithmetic(e.op, lt, rt).apply);
  return `(${guard}${fn}(${a}, ${b}))`;
}

function nullInLambda(text: string): never {
  throw new Error(`null value in arithmetic inside a lambda: ${text}`);
}

function compare(e: Extract<TypedExpr, { kind: 'compare' }>, gen: CodeGen, params: ReadonlyMap<string, string>): string {
  const a = gen.temp();
  const b = gen.temp();
  const left = emit(e.left, gen, params);
  const right = emit(e.right, gen, params);
  const t = e.compareType;
  if (e.op === 'IS DISTINCT FROM' || e.op === 'IS NOT DISTINCT FROM') {
    const eq = gen.constant((x: unknown, y: unknown) => (x === null || y === null ? x === y : sqlEquals(x, y, t)));
    return `(${e.op === 'IS DISTINCT FROM' ? '!' : ''}${eq}(${left}, ${right}))`;
  }
  // ksqlDB's comparisons are false, not unknown, when an operand is null.
  const guard = `(${a} = ${left}) === null || (${b} = ${right}) === null ? false : `;
  // Numbers, strings and bigints compare natively.
  const native = t.kind === 'INTEGER' || t.kind === 'DOUBLE' || t.kind === 'BIGINT' || t.kind === 'STRING' || t.kind === 'DATE' || t.kind === 'TIME' || t.kind === 'TIMESTAMP';
  if (native) {
    const op = e.op === '=' ? '===' : e.op === '<>' ? '!==' : e.op;
    return `(${guard}(${a} ${op} ${b}))`;
  }
  if (e.op === '=' || e.op === '<>') {
    const eq = gen.constant((x: unknown, y: unknown) => sqlEquals(x, y, t));
    return `(${guard}${e.op === '<>' ? '!' : ''}${eq}(${a}, ${b}))`;
  }
  const cmp = comparator(t, gen);
  return `(${guard}(${cmp}(${a}, ${b}) ${e.op} 0))`;
}

function comparator(t: SqlType, gen: CodeGen): string {
  return gen.constant((x: unknown, y: unknown) => sqlCompare(x, y, t));
}

function arrayAt(arr: readonly unknown[], index: number | bigint): unknown {
  const i = Number(index);
  // ksqlDB arrays are 1-based; negative indexes count from the end.
  const pos = i > 0 ? i - 1 : i < 0 ? arr.length + i : -1;
  if (pos < 0 || pos >= arr.length) return null;
  return arr[pos] ?? null;
}

function mapGet(m: Map<unknown, unknown>, key: unknown): unknown {
  if (key instanceof Decimal) {
    for (const [k, v] of m) if (k instanceof Decimal && k.compareTo(key) === 0) return v ?? null;
    return null;
  }
  const v = m.get(key);
  return v === undefined ? null : v;
}

/** LIKE: % any run, _ one character, optional escape; the whole string must match. Patterns are cached. */
function likeMatcher(escape: string | undefined): (value: string, pattern: string) => boolean {
  const cache = new Map<string, RegExp>();
  return (value, pattern) => {
    let re = cache.get(pattern);
    if (!re) {
      re = likeToRegExp(pattern, escape);
      if (cache.size < 1000) cache.set(pattern, re);
    }
    return re.test(value);
  };
}

export function likeToRegExp(pattern: string, escape: string | undefined): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (escape !== undefined && c === escape && i + 1 < pattern.length) {
      out += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '%') out += '[^]*';
    else if (c === '_') out += '[^]';
    else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 'u');
}
