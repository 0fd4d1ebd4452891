/**
 * Small constructors used by the grammar's postprocessors (grammar.ne), kept here
 * so the grammar stays readable and the logic is type-checked.
 */
import type moo from 'moo';
import type {
  Duration,
  Expr,
  Loc,
  NumberKind,
  PrimitiveTypeName,
  Property,
  SourceRef,
  TypeNode,
} from './ast.js';

export type Tok = moo.Token;

export function loc(tok: Tok): Loc {
  return { line: tok.line, col: tok.col };
}

/** The name an identifier token stands for: unquoted upper-cased, quoted verbatim. */
export function identName(tok: Tok): string {
  switch (tok.type) {
    case 'backquoted':
      return tok.value.slice(1, -1).replace(/``/g, '`');
    case 'doublequoted':
      return tok.value.slice(1, -1).replace(/""/g, '"');
    default:
      return tok.value.toUpperCase();
  }
}

export function stringValue(tok: Tok): string {
  return tok.value.slice(1, -1).replace(/''/g, "'");
}

export function numberLiteral(tok: Tok): Expr {
  const text = tok.value;
  let kind: NumberKind;
  if (tok.type === 'double') kind = 'DOUBLE';
  else if (tok.type === 'decimal') kind = 'DECIMAL';
  else kind = integerKind(text);
  return { type: 'number', kind, text, loc: loc(tok) };
}

const INT_MAX = 2147483647n;
const INT_MIN = -2147483648n;

/** INTEGER when it fits 32 bits, else BIGINT (range errors are checked after parsing). */
export function integerKind(text: string): NumberKind {
  const v = BigInt(text);
  return v >= INT_MIN && v <= INT_MAX ? 'INTEGER' : 'BIGINT';
}

/** Unary minus on a numeric literal is folded into it, so -2147483648 is an INTEGER. */
export function negate(operand: Expr, minus: Tok): Expr {
  if (operand.type === 'number' && !operand.text.startsWith('-')) {
    const text = `-${operand.text}`;
    const kind = operand.kind === 'INTEGER' || operand.kind === 'BIGINT' ? integerKind(text) : operand.kind;
    return { type: 'number', kind, text, loc: loc(minus) };
  }
  return { type: 'unary', op: '-', operand, loc: loc(minus) };
}

const PRIMITIVES: Record<string, PrimitiveTypeName> = {
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

/** A type written as a bare name: a primitive (case-insensitive) or a custom type. */
export function namedType(n: Name): TypeNode {
  const primitive = n.quoted ? undefined : PRIMITIVES[n.name];
  return primitive ? { type: 'primitiveType', name: primitive } : { type: 'customType', name: n.name };
}

/** A type with parameters: DECIMAL(p, s), or a primitive whose parameters ksqlDB ignores. */
export function parameterizedType(n: Name, params: readonly (number | string)[]): TypeNode | undefined {
  if (n.quoted) return undefined;
  if (n.name === 'DECIMAL') {
    const [precision, scale] = params;
    if (params.length !== 2 || typeof precision !== 'number' || typeof scale !== 'number') return undefined;
    return { type: 'decimalType', precision, scale };
  }
  const primitive = PRIMITIVES[n.name];
  return primitive ? { type: 'primitiveType', name: primitive } : undefined;
}

const UNITS: Record<string, string> = {
  NANOSECOND: 'NANOSECONDS',
  MICROSECOND: 'MICROSECONDS',
  MILLISECOND: 'MILLISECONDS',
  SECOND: 'SECONDS',
  MINUTE: 'MINUTES',
  HOUR: 'HOURS',
  DAY: 'DAYS',
  WEEK: 'WEEKS',
  MONTH: 'MONTHS',
  YEAR: 'YEARS',
};

export function duration(value: Tok, unit: Tok): Duration {
  const u = unit.value.toUpperCase();
  return { value: Number(value.value), unit: UNITS[u] ?? u };
}

export function property(name: string, value: Expr, at: Loc): Property {
  switch (value.type) {
    case 'string':
      return { name, value: { type: 'string', value: value.value }, loc: at };
    case 'number':
      return { name, value: { type: 'number', kind: value.kind, text: value.text }, loc: at };
    case 'boolean':
      return { name, value: { type: 'boolean', value: value.value }, loc: at };
    default:
      return { name, value: { type: 'null' }, loc: at };
  }
}

/** What the grammar's name rules produce: the name and where it was written. */
export interface Name {
  readonly name: string;
  readonly loc: Loc;
  /** True when the name was written with quotes. */
  readonly quoted: boolean;
}

export function name(tok: Tok): Name {
  return { name: identName(tok), loc: loc(tok), quoted: tok.type === 'backquoted' || tok.type === 'doublequoted' };
}

export function sourceRef(n: Name, alias: Name | undefined): SourceRef {
  return alias === undefined
    ? { type: 'sourceRef', name: n.name, loc: n.loc }
    : { type: 'sourceRef', name: n.name, alias: alias.name, loc: n.loc };
}

/** Drops undefined members so trees compare equal however they were built. */
export function compact<T extends object>(node: T): T {
  for (const key of Object.keys(node) as (keyof T)[]) {
    if (node[key] === undefined) delete node[key];
  }
  return node;
}

