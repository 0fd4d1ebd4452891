/**
 * The function registry: indexes scalar, table and aggregate functions by name and resolves calls
 * at plan time the way ksqlDB's UdfIndex does, so a query never looks a function up per record.
 *
 * Resolution (UdfIndex.getFunction):
 *  1. Collect every variant the arguments match without implicit casts. If none matches and the
 *     function allows casts (scalar and table functions do, aggregates don't), collect again with
 *     casts. None: "Function 'x' does not accept parameters (...)".
 *  2. Rank the candidates: a non-variadic variant beats a variadic one; then more declared
 *     parameters win; then fewer generic parameters (an ANY... parameter counts as generic); then
 *     a variant without ANY...; then the later variadic position. Two candidates that tie at the
 *     top make the call ambiguous.
 * Matching is outside-in in pairs (first and last argument, then second and second to last, ...),
 * which is the order generics are bound in. A variadic parameter takes any number of arguments,
 * or, when the call has exactly one argument for it, an ARRAY of its type (a Java varargs array);
 * both readings are candidates, so a NULL there matches twice and ties with itself, as in ksqlDB.
 * Lambda arguments match LAMBDA parameters of the same arity; once a variant is chosen, their
 * parameter types come from the generics the other arguments bound, and their bodies are typed to
 * bind the lambda's return type.
 */
import { formatType, STRING, type SqlType } from '../schema/index.js';
import { FunctionError, FunctionValueError, unknownFunction } from './errors.js';
import {
  accepts,
  applyBindings,
  compatible,
  concreteType,
  formatArg,
  formatPattern,
  hasGenerics,
  parsePattern,
  widestDecimal,
  type Pattern,
} from './patterns.js';
import type {
  AggregateVariant,
  ArgShape,
  FunctionConfig,
  FunctionDefinition,
  FunctionInfo,
  FunctionKind,
  FunctionSignatureInfo,
  ResolvedAggregate,
  ResolvedCall,
  ScalarVariant,
} from './types.js';

type Impl = (...args: any[]) => unknown;
type ReturnsFn = (argTypes: readonly SqlType[]) => SqlType;

interface CompiledVariant {
  readonly params: readonly Pattern[];
  readonly paramNames: readonly string[];
  /** -1 when not variadic. */
  readonly variadicIndex: number;
  readonly genericCount: number;
  readonly hasAnyVarArg: boolean;
  readonly returns: Pattern | ReturnsFn;
  readonly description: string;
  readonly scalar?: ScalarVariant;
  readonly aggregate?: AggregateVariant;
}

interface Entry {
  readonly def: FunctionDefinition;
  readonly variants: readonly CompiledVariant[];
  readonly implicitCasts: boolean;
}

interface Candidate {
  readonly variant: CompiledVariant;
  /** The pattern each argument was matched against. */
  readonly expanded: readonly Pattern[];
  readonly bindings: Map<string, SqlType>;
  /** The variadic parameter received one ARRAY argument (a varargs array), not a run of values. */
  readonly varargsArray: boolean;
}

const NO_CONFIG: FunctionConfig = { property: () => undefined };

export class FunctionRegistry {
  private readonly entries = new Map<string, Entry>();

  /** Adds a function. Throws if the name is taken or two variants have the same parameters. */
  register(def: FunctionDefinition): void {
    const key = def.name.toUpperCase();
    if (this.entries.has(key)) {
      throw new FunctionError(`A function named '${def.name}' already exists`);
    }
    const variants = def.variants.map((v: ScalarVariant | AggregateVariant) => compileVariant(def, v));
    const seen = new Set<string>();
    for (const v of variants) {
      const signature = v.params.map(formatPattern).join(',') + (v.variadicIndex >= 0 ? `@${v.variadicIndex}` : '');
      if (seen.has(signature)) {
        throw new FunctionError(
          `Can't add function ${def.name} with parameters (${v.params.map(formatPattern).join(', ')}) as a function ` +
            'with the same name and parameter types already exists',
        );
      }
      seen.add(signature);
    }
    this.entries.set(key, { def, variants, implicitCasts: def.implicitCasts ?? def.kind !== 'AGGREGATE' });
  }

  /** The kind of the function with this name (any case), or undefined if there is none. */
  kindOf(name: string): FunctionKind | undefined {
    return this.entries.get(name.toUpperCase())?.def.kind;
  }

  has(name: string): boolean {
    return this.entries.has(name.toUpperCase());
  }

  resolveScalar(name: string, args: readonly ArgShape[], config: FunctionConfig = NO_CONFIG): ResolvedCall {
    return this.resolveCall(this.entryOfKind(name, 'SCALAR'), args, config);
  }

  resolveTable(name: string, args: readonly ArgShape[], config: FunctionConfig = NO_CONFIG): ResolvedCall {
    return this.resolveCall(this.entryOfKind(name, 'TABLE'), args, config);
  }

  resolveAggregate(name: string, args: readonly ArgShape[], config: FunctionConfig = NO_CONFIG): ResolvedAggregate {
    const entry = this.entryOfKind(name, 'AGGREGATE');
    const { candidate, paramTypes, callbackTypes, returnType } = resolve(entry, args);
    const variant = candidate.variant.aggregate as AggregateVariant;
    return {
      name: entry.def.name,
      kind: 'AGGREGATE',
      returnType,
      paramTypes,
      literalParams: variant.literalParams ?? 0,
      create: (literals) => variant.create(callbackTypes, literals, config),
    };
  }

  /** Every function, sorted by name, as SHOW FUNCTIONS and DESCRIBE FUNCTION show them. */
  list(): FunctionInfo[] {
    return [...this.entries.values()].map(describeEntry).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  describe(name: string): FunctionInfo {
    const entry = this.entries.get(name.toUpperCase());
    if (entry === undefined) throw unknownFunction(name);
    return describeEntry(entry);
  }

  private entryOfKind(name: string, kind: FunctionKind): Entry {
    const entry = this.entries.get(name.toUpperCase());
    if (entry === undefined) throw unknownFunction(name);
    if (entry.def.kind !== kind) {
      throw new FunctionError(`Function '${entry.def.name}' is ${articleKind(entry.def.kind)} function, not ${articleKind(kind)} function`);
    }
    return entry;
  }

  private resolveCall(entry: Entry, args: readonly ArgShape[], config: FunctionConfig): ResolvedCall {
    const { candidate, paramTypes, callbackTypes, lambdaParamTypes, returnType } = resolve(entry, args);
    const variant = candidate.variant.scalar as ScalarVariant;
    const impl: Impl = variant.bind !== undefined ? variant.bind(callbackTypes, config) : (variant.impl as Impl);
    const variadic = candidate.variant.variadicIndex;
    const pack =
      variadic >= 0 && !candidate.varargsArray
        ? { at: variadic, count: args.length - (candidate.variant.params.length - 1) }
        : undefined;
    return {
      name: entry.def.name,
      kind: entry.def.kind,
      returnType,
      paramTypes,
      lambdaParamTypes,
      invoke: buildInvoke(entry.def.name, impl, args.length, pack, (variant.nulls ?? 'propagate') === 'propagate'),
    };
  }
}

function articleKind(kind: FunctionKind): string {
  return kind === 'AGGREGATE' ? 'an aggregate' : kind === 'TABLE' ? 'a table' : 'a scalar';
}

// ---------------------------------------------------------------------------------------------
// Registration

function compileVariant(def: FunctionDefinition, v: ScalarVariant | AggregateVariant): CompiledVariant {
  const where = `function ${def.name}(${v.params.join(', ')})`;
  let params: Pattern[];
  try {
    params = v.params.map(parsePattern);
  } catch (e) {
    throw new FunctionError(`${where}: ${(e as Error).message}`);
  }
  const variadicIndex = v.variadic === true ? params.length - 1 : typeof v.variadic === 'number' ? v.variadic : -1;
  if (variadicIndex >= params.length || (v.variadic !== undefined && v.variadic !== false && params.length === 0)) {
    throw new FunctionError(`${where}: variadic parameter out of range`);
  }
  let returns: Pattern | ReturnsFn;
  if (typeof v.returns === 'string') {
    try {
      returns = parsePattern(v.returns);
    } catch (e) {
      throw new FunctionError(`${where}: ${(e as Error).message}`);
    }
  } else {
    returns = v.returns;
  }
  if (def.kind !== 'AGGREGATE') {
    const s = v as ScalarVariant;
    if (s.impl === undefined && s.bind === undefined) throw new FunctionError(`${where}: no impl or bind`);
  }
  // ksqlDB counts an Object... parameter (ARRAY<ANY>) as generic, and ranks variants without one higher.
  const objVarArg = (p: Pattern, i: number): boolean =>
    i === variadicIndex ? p.k === 'any' : p.k === 'array' && p.item.k === 'any';
  return {
    params,
    paramNames: v.paramNames ?? [],
    variadicIndex,
    genericCount: params.filter((p, i) => hasGenerics(p) || objVarArg(p, i)).length,
    hasAnyVarArg: params.some(objVarArg),
    returns,
    description: v.description ?? def.description,
    ...(def.kind === 'AGGREGATE' ? { aggregate: v as AggregateVariant } : { scalar: v as ScalarVariant }),
  };
}

// ---------------------------------------------------------------------------------------------
// Resolution

interface Resolution {
  readonly candidate: Candidate;
  readonly paramTypes: readonly (SqlType | undefined)[];
  /** What `returns`, `bind` and `create` callbacks see: every entry defined. */
  readonly callbackTypes: readonly SqlType[];
  readonly lambdaParamTypes: readonly (readonly SqlType[] | undefined)[];
  readonly returnType: SqlType;
}

function resolve(entry: Entry, args: readonly ArgShape[]): Resolution {
  let candidates = collectCandidates(entry, args, false);
  if (candidates.length === 0 && entry.implicitCasts) candidates = collectCandidates(entry, args, true);
  if (candidates.length === 0) throw noMatch(entry, args);
  let best = candidates[0];
  for (const c of candidates) if (compareVariants(c.variant, best.variant) > 0) best = c;
  if (candidates.some((c) => c !== best && compareVariants(c.variant, best.variant) === 0)) {
    throw ambiguous(entry, args);
  }
  return complete(entry, best, args);
}

function collectCandidates(entry: Entry, args: readonly ArgShape[], allowCasts: boolean): Candidate[] {
  const out: Candidate[] = [];
  for (const variant of entry.variants) {
    const { params, variadicIndex } = variant;
    const n = args.length;
    if (variadicIndex < 0) {
      if (n === params.length) tryMatch(variant, params, args, allowCasts, false, out);
      continue;
    }
    const fixed = params.length - 1;
    if (n >= fixed) {
      const expanded: Pattern[] = params.slice(0, variadicIndex);
      for (let i = 0; i < n - fixed; i++) expanded.push(params[variadicIndex]);
      expanded.push(...params.slice(variadicIndex + 1));
      tryMatch(variant, expanded, args, allowCasts, false, out);
    }
    if (n === params.length) {
      const asArray = params.map((p, i): Pattern => (i === variadicIndex ? { k: 'array', item: p } : p));
      tryMatch(variant, asArray, args, allowCasts, true, out);
    }
  }
  return out;
}

function tryMatch(
  variant: CompiledVariant,
  expanded: readonly Pattern[],
  args: readonly ArgShape[],
  allowCasts: boolean,
  varargsArray: boolean,
  out: Candidate[],
): void {
  const bindings = new Map<string, SqlType>();
  const n = args.length;
  // Outside-in, left before right: the order UdfIndex's pair trie binds generics in.
  for (let lo = 0, hi = n - 1; lo <= hi; lo++, hi--) {
    if (!accepts(expanded[lo], args[lo], bindings, allowCasts)) return;
    if (hi !== lo && !accepts(expanded[hi], args[hi], bindings, allowCasts)) return;
  }
  out.push({ variant, expanded, bindings, varargsArray });
}

/** UdfIndex's Node comparator: greater is preferred. */
function compareVariants(a: CompiledVariant, b: CompiledVariant): number {
  return (
    Number(a.variadicIndex < 0) - Number(b.variadicIndex < 0) ||
    a.params.length - b.params.length ||
    b.genericCount - a.genericCount ||
    Number(!a.hasAnyVarArg) - Number(!b.hasAnyVarArg) ||
    a.variadicIndex - b.variadicIndex
  );
}

function complete(entry: Entry, candidate: Candidate, args: readonly ArgShape[]): Resolution {
  const { variant, expanded, bindings } = candidate;
  const name = entry.def.name;
  const lambdaParamTypes: (readonly SqlType[] | undefined)[] = args.map(() => undefined);
  const bodyTypes: (SqlType | undefined)[] = args.map(() => undefined);

  // Lambdas last: their parameter types come from generics the other arguments bound.
  args.forEach((arg, i) => {
    if (arg.kind !== 'lambda') return;
    const p = expanded[i] as Extract<Pattern, { k: 'lambda' }>;
    const inputs = p.params.map((pp) => applyBindings(pp, bindings));
    if (inputs.some((t) => t === undefined)) {
      throw new FunctionError(
        `Function '${name}' cannot type the parameters of its lambda argument ${i + 1} (${formatPattern(p)}) ` +
          `from the arguments ${formatArgs(args)}.`,
      );
    }
    const paramTypes = inputs as SqlType[];
    const body = arg.typeBody(paramTypes);
    if (hasGenerics(p.returns)) {
      const scratch = new Map(bindings);
      if (!accepts(p.returns, { kind: 'value', type: body }, scratch, false)) {
        throw lambdaReturnMismatch(name, p, body, bindings);
      }
      for (const [k, v] of scratch) bindings.set(k, v);
    } else if (!compatible(body, p.returns, true)) {
      throw lambdaReturnMismatch(name, p, body, bindings);
    }
    lambdaParamTypes[i] = paramTypes;
    bodyTypes[i] = body;
  });

  const paramTypes: (SqlType | undefined)[] = args.map((arg, i) =>
    arg.kind === 'value' ? concreteType(expanded[i], arg.type, bindings) : undefined,
  );
  // A NULL in a bare DECIMAL slot takes the widest DECIMAL among the other DECIMAL slots.
  const decimalSlots = expanded.map((p) => p.k === 'decimal' && p.precision === undefined);
  if (decimalSlots.some(Boolean)) {
    const widest = widestDecimal(paramTypes.filter((_, i) => decimalSlots[i]));
    paramTypes.forEach((t, i) => {
      if (t === undefined && decimalSlots[i] && args[i].kind === 'value') paramTypes[i] = widest;
    });
  }
  const callbackTypes = args.map((arg, i) => {
    if (arg.kind === 'lambda') return bodyTypes[i] as SqlType;
    return paramTypes[i] ?? STRING;
  });

  let returnType: SqlType | undefined;
  if (typeof variant.returns === 'function') {
    try {
      returnType = variant.returns(callbackTypes);
    } catch (e) {
      throw new FunctionError(`Function '${name}' cannot determine its return type for ${formatArgs(args)}: ${(e as Error).message}`);
    }
  } else {
    returnType = applyBindings(variant.returns, bindings);
    if (returnType === undefined) {
      throw new FunctionError(
        `Function '${name}' cannot infer its return type ${formatPattern(variant.returns)} from the parameters ` +
          `${formatArgs(args)}. Cast NULL arguments to a type, e.g. CAST(NULL AS VARCHAR).`,
      );
    }
  }
  return { candidate, paramTypes, callbackTypes, lambdaParamTypes, returnType };
}

function lambdaReturnMismatch(name: string, p: Extract<Pattern, { k: 'lambda' }>, body: SqlType, bindings: Map<string, SqlType>): FunctionError {
  const expected = applyBindings(p.returns, bindings);
  return new FunctionError(
    `Function '${name}' expects a lambda returning ${expected ? formatType(expected) : formatPattern(p.returns)}, ` +
      `but the lambda returns ${formatType(body)}.`,
  );
}

function formatArgs(args: readonly ArgShape[]): string {
  return `(${args.map(formatArg).join(', ')})`;
}

/** One signature as ksqlDB lists it in resolution errors: explode(ARRAY<T> list), greatest(INTEGER val, INTEGER... vals). */
function formatSignature(name: string, v: CompiledVariant): string {
  const params = v.params.map((p, i) => {
    const type = formatPattern(p) + (i === v.variadicIndex ? '...' : '');
    const paramName = v.paramNames[i];
    return paramName ? `${type} ${paramName}` : type;
  });
  return `${name}(${params.join(', ')})`;
}

function validAlternatives(entry: Entry): string {
  return entry.variants.map((v) => formatSignature(entry.def.name, v)).join('\n');
}

function noMatch(entry: Entry, args: readonly ArgShape[]): FunctionError {
  return new FunctionError(
    `Function '${entry.def.name}' does not accept parameters ${formatArgs(args)}.\n` +
      `Valid alternatives are:\n${validAlternatives(entry)}\n` +
      'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
  );
}

function ambiguous(entry: Entry, args: readonly ArgShape[]): FunctionError {
  return new FunctionError(
    `Function '${entry.def.name}' cannot be resolved due to ambiguous method parameters ${formatArgs(args)}.\n` +
      'Use CAST() to explicitly cast your parameters to one of the supported function calls.\n' +
      `Valid function calls are:\n${validAlternatives(entry)}\n` +
      'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
  );
}

// ---------------------------------------------------------------------------------------------
// Invocation

/**
 * The per-record entry point: null propagation, variadic packing and error wrapping, decided once
 * here so that the closure does nothing else per call.
 */
function buildInvoke(
  name: string,
  impl: Impl,
  arity: number,
  pack: { readonly at: number; readonly count: number } | undefined,
  propagate: boolean,
): (args: readonly unknown[]) => unknown {
  const fail = (e: unknown): never => {
    throw e instanceof FunctionValueError ? e : new FunctionValueError(name, e);
  };
  const done = (r: unknown): unknown => (r === undefined ? null : r);
  if (pack === undefined) {
    if (arity === 0) {
      return () => {
        try {
          return done(impl());
        } catch (e) {
          return fail(e);
        }
      };
    }
    if (arity === 1) {
      return propagate
        ? (args) => {
            const a = args[0];
            if (a === null || a === undefined) return null;
            try {
              return done(impl(a));
            } catch (e) {
              return fail(e);
            }
          }
        : (args) => {
            try {
              return done(impl(args[0] ?? null));
            } catch (e) {
              return fail(e);
            }
          };
    }
    if (arity === 2) {
      return propagate
        ? (args) => {
            const a = args[0];
            const b = args[1];
            if (a === null || a === undefined || b === null || b === undefined) return null;
            try {
              return done(impl(a, b));
            } catch (e) {
              return fail(e);
            }
          }
        : (args) => {
            try {
              return done(impl(args[0] ?? null, args[1] ?? null));
            } catch (e) {
              return fail(e);
            }
          };
    }
    return (args) => {
      if (propagate) {
        for (let i = 0; i < arity; i++) if (args[i] === null || args[i] === undefined) return null;
      }
      try {
        return done(impl(...args));
      } catch (e) {
        return fail(e);
      }
    };
  }
  const { at, count } = pack;
  const after = at + count;
  return (args) => {
    if (propagate) {
      for (let i = 0; i < arity; i++) if (args[i] === null || args[i] === undefined) return null;
    }
    const call: unknown[] = new Array(arity - count + 1);
    for (let i = 0; i < at; i++) call[i] = args[i];
    const run: unknown[] = new Array(count);
    for (let i = 0; i < count; i++) run[i] = args[at + i] ?? null;
    call[at] = run;
    for (let i = after; i < arity; i++) call[i - count + 1] = args[i];
    try {
      return done(impl(...call));
    } catch (e) {
      return fail(e);
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Listing

const DESCRIBE_NAMES: Readonly<Record<string, string>> = { STRING: 'VARCHAR', INTEGER: 'INT' };

function describeType(p: Pattern): string {
  return formatPattern(p).replace(/\b(STRING|INTEGER)\b/g, (m) => DESCRIBE_NAMES[m]);
}

function describeEntry(entry: Entry): FunctionInfo {
  const name = entry.def.name.toUpperCase();
  const variants: FunctionSignatureInfo[] = entry.variants.map((v) => {
    const params = v.params.map((p, i) => {
      const type = describeType(p) + (i === v.variadicIndex ? '[]' : '');
      const paramName = v.paramNames[i];
      return paramName ? `${paramName} ${type}` : type;
    });
    let returns: string;
    if (typeof v.returns === 'function') {
      returns = v.params.some((p) => p.k === 'decimal') ? 'DECIMAL' : 'ANY';
    } else {
      returns = describeType(v.returns);
    }
    return { signature: `${name}(${params.join(', ')})`, returns, description: v.description };
  });
  return { name, kind: entry.def.kind, category: entry.def.category, description: entry.def.description, variants };
}
