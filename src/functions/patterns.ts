/**
 * The type-pattern language of types.ts, parsed once at registration, and the argument matching
 * rules of ksqlDB's UdfIndex / ParamTypes / GenericsUtil:
 *  - a pattern containing generics matches structurally and exactly (no implicit casts), binding
 *    each generic to one type for the whole call;
 *  - other patterns match by base type (any DECIMAL for `DECIMAL`), element-wise for ARRAY and MAP,
 *    exactly for STRUCT fields, and, when casts are allowed, through the implicit casts ksqlDB
 *    allows for function arguments (numeric widening, STRING to DATE/TIME/TIMESTAMP/BYTES);
 *  - a NULL literal matches any parameter; a lambda matches a LAMBDA of the same arity.
 */
import {
  array,
  baseTypeCanImplicitlyCast,
  decimal,
  formatType,
  map,
  struct,
  toDecimalType,
  typesEqual,
  widenDecimal,
  type SqlType,
  type SqlTypeKind,
} from '../schema/index.js';
import type { ArgShape } from './types.js';

type PrimitiveKind = Exclude<SqlTypeKind, 'DECIMAL' | 'ARRAY' | 'MAP' | 'STRUCT'>;

export type Pattern =
  | { readonly k: 'prim'; readonly kind: PrimitiveKind }
  /** precision undefined: any DECIMAL. */
  | { readonly k: 'decimal'; readonly precision?: number; readonly scale?: number }
  | { readonly k: 'array'; readonly item: Pattern }
  | { readonly k: 'map'; readonly key: Pattern; readonly value: Pattern }
  /** fields undefined: any STRUCT. */
  | { readonly k: 'struct'; readonly fields?: readonly { readonly name: string; readonly type: Pattern }[] }
  | { readonly k: 'generic'; readonly name: string }
  | { readonly k: 'lambda'; readonly params: readonly Pattern[]; readonly returns: Pattern }
  /** ksqlDB's ANY (Object): accepts any value, binds nothing. */
  | { readonly k: 'any' }
  /** A time unit keyword argument (DAYS, HOURS, ...), as DATEADD's first parameter. */
  | { readonly k: 'intervalUnit' };

export type Bindings = ReadonlyMap<string, SqlType>;

// ---------------------------------------------------------------------------------------------
// Parsing

const PRIMITIVES: Readonly<Record<string, PrimitiveKind>> = {
  BOOLEAN: 'BOOLEAN',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  DOUBLE: 'DOUBLE',
  STRING: 'STRING',
  VARCHAR: 'STRING',
  BYTES: 'BYTES',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
};

const GENERIC = /^[A-Z][0-9]?$/;
const TOKEN = /\s*(=>|[<>(),]|`(?:[^`]|``)*`|[A-Za-z_][A-Za-z0-9_]*|\d+)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let pos = 0;
  while (text.slice(pos).trim() !== '') {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (m === null) throw new Error(`Invalid type pattern: ${text}`);
    tokens.push(m[1]);
    pos = TOKEN.lastIndex;
  }
  return tokens;
}

export function parsePattern(text: string): Pattern {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const next = (): string => {
    const t = tokens[pos++];
    if (t === undefined) throw new Error(`Invalid type pattern (unexpected end): ${text}`);
    return t;
  };
  const expect = (t: string): void => {
    const got = next();
    if (got !== t) throw new Error(`Invalid type pattern (expected '${t}', got '${got}'): ${text}`);
  };
  const parse = (): Pattern => {
    const word = next();
    const upper = word.toUpperCase();
    if (GENERIC.test(word)) return { k: 'generic', name: word };
    if (upper in PRIMITIVES) return { k: 'prim', kind: PRIMITIVES[upper] };
    switch (upper) {
      case 'DECIMAL':
        if (peek() === '(') {
          next();
          const precision = Number(next());
          expect(',');
          const scale = Number(next());
          expect(')');
          return { k: 'decimal', precision, scale };
        }
        return { k: 'decimal' };
      case 'ARRAY': {
        expect('<');
        const item = parse();
        expect('>');
        return { k: 'array', item };
      }
      case 'MAP': {
        expect('<');
        const key = parse();
        expect(',');
        const value = parse();
        expect('>');
        return { k: 'map', key, value };
      }
      case 'STRUCT': {
        if (peek() !== '<') return { k: 'struct' };
        next();
        const fields: { name: string; type: Pattern }[] = [];
        if (peek() !== '>') {
          for (;;) {
            const raw = next();
            const name = raw.startsWith('`') ? raw.slice(1, -1).replaceAll('``', '`') : raw;
            fields.push({ name, type: parse() });
            if (peek() !== ',') break;
            next();
          }
        }
        expect('>');
        return { k: 'struct', fields };
      }
      case 'LAMBDA': {
        expect('(');
        const params: Pattern[] = [];
        if (peek() !== ')') {
          for (;;) {
            params.push(parse());
            if (peek() !== ',') break;
            next();
          }
        }
        expect(')');
        expect('=>');
        return { k: 'lambda', params, returns: parse() };
      }
      case 'ANY':
        return { k: 'any' };
      case 'INTERVALUNIT':
        return { k: 'intervalUnit' };
      default:
        throw new Error(`Invalid type pattern (unknown type '${word}'): ${text}`);
    }
  };
  const result = parse();
  if (pos !== tokens.length) throw new Error(`Invalid type pattern (trailing '${tokens[pos]}'): ${text}`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Inspection and formatting

export function hasGenerics(p: Pattern): boolean {
  switch (p.k) {
    case 'generic':
      return true;
    case 'array':
      return hasGenerics(p.item);
    case 'map':
      return hasGenerics(p.key) || hasGenerics(p.value);
    case 'struct':
      return p.fields?.some((f) => hasGenerics(f.type)) ?? false;
    case 'lambda':
      return p.params.some(hasGenerics) || hasGenerics(p.returns);
    default:
      return false;
  }
}

/** The pattern as ksqlDB prints a ParamType: INTEGER, ARRAY<T>, DECIMAL, LAMBDA (T) => U. */
export function formatPattern(p: Pattern): string {
  switch (p.k) {
    case 'prim':
      return p.kind;
    case 'decimal':
      return p.precision === undefined ? 'DECIMAL' : `DECIMAL(${p.precision}, ${p.scale})`;
    case 'array':
      return `ARRAY<${formatPattern(p.item)}>`;
    case 'map':
      return `MAP<${formatPattern(p.key)}, ${formatPattern(p.value)}>`;
    case 'struct':
      return p.fields === undefined ? 'STRUCT' : `STRUCT<${p.fields.map((f) => `${f.name} ${formatPattern(f.type)}`).join(', ')}>`;
    case 'generic':
      return p.name;
    case 'lambda':
      return `LAMBDA (${p.params.map(formatPattern).join(', ')}) => ${formatPattern(p.returns)}`;
    case 'any':
      return 'ANY';
    case 'intervalUnit':
      return 'INTERVALUNIT';
    default: {
      const unreachable: never = p;
      throw new Error(`Unknown pattern ${JSON.stringify(unreachable)}`);
    }
  }
}

/** An argument as ksqlDB prints it in resolution errors: INTEGER, MAP<STRING, INTEGER>, null. */
export function formatArg(arg: ArgShape): string {
  switch (arg.kind) {
    case 'value':
      return arg.type === null ? 'null' : formatType(arg.type, { quoteFields: false });
    case 'lambda':
      return `LAMBDA(${arg.arity})`;
    case 'intervalUnit':
      return arg.unit;
    default: {
      const unreachable: never = arg;
      throw new Error(`Unknown argument ${JSON.stringify(unreachable)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Matching

/**
 * Whether `arg` can be passed for `p`. Generic bindings are added to `bindings` (a scratch copy
 * owned by the caller) only when the match succeeds.
 */
export function accepts(p: Pattern, arg: ArgShape, bindings: Map<string, SqlType>, allowCasts: boolean): boolean {
  if (arg.kind === 'lambda') return p.k === 'lambda' && p.params.length === arg.arity;
  if (arg.kind === 'intervalUnit') return p.k === 'intervalUnit';
  const type = arg.type;
  // A NULL literal matches any parameter, even a LAMBDA or INTERVALUNIT one, as in UdfIndex.
  if (type === null) return true;
  if (p.k === 'intervalUnit' || p.k === 'lambda') return false;
  if (hasGenerics(p)) {
    const found: [string, SqlType][] = [];
    if (!collectGenerics(p, type, found)) return false;
    for (const [name, bound] of found) {
      const old = bindings.get(name);
      if (old !== undefined && !typesEqual(old, bound)) return false;
    }
    for (const [name, bound] of found) bindings.set(name, bound);
    return true;
  }
  return compatible(type, p, allowCasts);
}

/** GenericsUtil.resolveGenerics: structural, exact; non-generic parts match by base type only. */
function collectGenerics(p: Pattern, type: SqlType, found: [string, SqlType][]): boolean {
  switch (p.k) {
    case 'generic':
      found.push([p.name, type]);
      return true;
    case 'prim':
      return type.kind === p.kind;
    case 'decimal':
      return type.kind === 'DECIMAL';
    case 'struct':
      return type.kind === 'STRUCT';
    case 'array':
      return type.kind === 'ARRAY' && collectGenerics(p.item, type.item, found);
    case 'map':
      return type.kind === 'MAP' && collectGenerics(p.key, type.key, found) && collectGenerics(p.value, type.value, found);
    case 'any':
      return true;
    case 'lambda':
    case 'intervalUnit':
      return false;
    default: {
      const unreachable: never = p;
      throw new Error(`Unknown pattern ${JSON.stringify(unreachable)}`);
    }
  }
}

/** ParamTypes.areCompatible for a value argument and a pattern without generics. */
export function compatible(type: SqlType, p: Pattern, allowCasts: boolean): boolean {
  if (p.k === 'any') return true;
  if (type.kind === 'ARRAY' && p.k === 'array') return compatible(type.item, p.item, allowCasts);
  if (type.kind === 'MAP' && p.k === 'map') {
    return compatible(type.key, p.key, allowCasts) && compatible(type.value, p.value, allowCasts);
  }
  if (type.kind === 'STRUCT' && p.k === 'struct') {
    // An empty struct on either side matches any struct; otherwise the fields must match exactly.
    if (p.fields === undefined || p.fields.length === 0 || type.fields.length === 0) return true;
    return (
      type.fields.length === p.fields.length &&
      p.fields.every((pf) => {
        const f = type.fields.find((x) => x.name === pf.name);
        return f !== undefined && !hasGenerics(pf.type) && compatible(f.type, pf.type, false);
      })
    );
  }
  const target = baseKindOf(p);
  if (target === undefined) return false;
  return type.kind === target || (allowCasts && functionArgumentCanCast(type.kind, target));
}

function baseKindOf(p: Pattern): SqlTypeKind | undefined {
  switch (p.k) {
    case 'prim':
      return p.kind;
    case 'decimal':
      return 'DECIMAL';
    case 'array':
      return 'ARRAY';
    case 'map':
      return 'MAP';
    case 'struct':
      return 'STRUCT';
    default:
      return undefined;
  }
}

/**
 * SqlBaseType.canImplicitlyCast, the rule ksqlDB applies to function arguments: the same base
 * type, numeric widening INTEGER -> BIGINT -> DECIMAL -> DOUBLE (any precision), and STRING to
 * DATE, TIME, TIMESTAMP or BYTES.
 */
export function functionArgumentCanCast(from: SqlTypeKind, to: SqlTypeKind): boolean {
  if (baseTypeCanImplicitlyCast(from, to)) return true;
  return from === 'STRING' && (to === 'DATE' || to === 'TIME' || to === 'TIMESTAMP' || to === 'BYTES');
}

// ---------------------------------------------------------------------------------------------
// Concrete types

/**
 * The concrete type an argument of type `type` is passed as for pattern `p` (the type the planner
 * coerces it to): the pattern with generics replaced by their bindings and bare DECIMAL / STRUCT /
 * ANY taken from the argument (INTEGER and BIGINT widen to DECIMAL(10, 0) / DECIMAL(19, 0)).
 * Undefined when the argument is a NULL literal and nothing else determines the type.
 */
export function concreteType(p: Pattern, type: SqlType | null, bindings: Bindings): SqlType | undefined {
  switch (p.k) {
    case 'prim':
      return { kind: p.kind } as SqlType;
    case 'decimal':
      if (p.precision !== undefined) return decimal(p.precision, p.scale ?? 0);
      if (type === null) return undefined;
      if (type.kind === 'DECIMAL') return type;
      if (type.kind === 'INTEGER' || type.kind === 'BIGINT') return toDecimalType(type);
      return undefined;
    case 'array': {
      const item = concreteType(p.item, type?.kind === 'ARRAY' ? type.item : null, bindings);
      return item && array(item);
    }
    case 'map': {
      const key = concreteType(p.key, type?.kind === 'MAP' ? type.key : null, bindings);
      const value = concreteType(p.value, type?.kind === 'MAP' ? type.value : null, bindings);
      return key && value && map(key, value);
    }
    case 'struct': {
      if (p.fields === undefined) return type?.kind === 'STRUCT' ? type : undefined;
      const fields = [];
      for (const f of p.fields) {
        const argField = type?.kind === 'STRUCT' ? type.fields.find((x) => x.name === f.name) : undefined;
        const t = concreteType(f.type, argField?.type ?? null, bindings);
        if (t === undefined) return undefined;
        fields.push({ name: f.name, type: t });
      }
      return struct(fields);
    }
    case 'generic':
      return bindings.get(p.name);
    case 'any':
      return type ?? undefined;
    case 'lambda':
    case 'intervalUnit':
      return undefined;
    default: {
      const unreachable: never = p;
      throw new Error(`Unknown pattern ${JSON.stringify(unreachable)}`);
    }
  }
}

/** A fully determined type from a pattern and bindings (return types, lambda parameters). */
export function applyBindings(p: Pattern, bindings: Bindings): SqlType | undefined {
  return concreteType(p, null, bindings);
}

/** The widest of the DECIMAL types given (INTEGER and BIGINT widen first); undefined if none. */
export function widestDecimal(types: readonly (SqlType | undefined)[]): SqlType | undefined {
  let widest: SqlType | undefined;
  for (const t of types) {
    if (t === undefined || (t.kind !== 'DECIMAL' && t.kind !== 'INTEGER' && t.kind !== 'BIGINT')) continue;
    widest = widest === undefined ? toDecimalType(t) : widenDecimal(widest, t);
  }
  return widest;
}
