/**
 * ksqlDB's type rules: implicit widening and common types, value coercion (strict for
 * expressions, lax for user literals), explicit CAST, comparison validity, and the result
 * types and Java semantics of + - * / %.
 *
 * Value representation is the one documented in types.ts. Evaluation-time failures throw
 * SqlValueError (ksqlDB turns them into null for the enclosing top-level expression);
 * plan-time failures throw SqlTypeError.
 */
import { Decimal } from './decimal.js';
import { formatDouble, javaTrim, parseDouble } from './double.js';
import { SqlTypeError, SqlValueError } from './errors.js';
import { formatType, typesEqual } from './format.js';
import {
  DOUBLE,
  NUMERIC_KINDS,
  STRING,
  array,
  decimal,
  isNumeric,
  map,
  struct,
  type DecimalType,
  type SqlType,
  type SqlTypeKind,
  type StructField,
  type Struct,
} from './types.js';
import {
  dateToTimestamp,
  formatDate,
  formatTime,
  formatTimestamp,
  javaSqlDateString,
  javaSqlTimeString,
  javaSqlTimestampString,
  parseDate,
  parseTime,
  parseTimestamp,
  timestampToDate,
  timestampToTime,
} from './time.js';

// ---------------------------------------------------------------------------------------------
// DECIMAL types

/** The DECIMAL an INTEGER becomes in decimal arithmetic and comparisons. */
export const INT_UPCAST_TO_DECIMAL: DecimalType = decimal(10, 0);
/** The DECIMAL a BIGINT becomes in decimal arithmetic and comparisons. */
export const BIGINT_UPCAST_TO_DECIMAL: DecimalType = decimal(19, 0);

/** INTEGER -> DECIMAL(10, 0), BIGINT -> DECIMAL(19, 0), DECIMAL -> itself. */
export function toDecimalType(type: SqlType): DecimalType {
  switch (type.kind) {
    case 'DECIMAL':
      return type;
    case 'INTEGER':
      return INT_UPCAST_TO_DECIMAL;
    case 'BIGINT':
      return BIGINT_UPCAST_TO_DECIMAL;
    default:
      throw new SqlTypeError(`Cannot convert ${type.kind} to DECIMAL.`);
  }
}

/** A DECIMAL wide enough for either type (both INTEGER, BIGINT or DECIMAL). */
export function widenDecimal(a: SqlType, b: SqlType): DecimalType {
  const l = toDecimalType(a);
  const r = toDecimalType(b);
  const scale = Math.max(l.scale, r.scale);
  return decimal(Math.max(l.precision - l.scale, r.precision - r.scale) + scale, scale);
}

/** Every value of `from` fits `to` unchanged: no more scale, no more integer digits. */
export function decimalFits(from: DecimalType, to: DecimalType): boolean {
  return from.scale <= to.scale && from.precision - from.scale <= to.precision - to.scale;
}

/** The type of a DECIMAL literal: 2.345 -> DECIMAL(4, 3), 0.05 -> DECIMAL(3, 2), 1E+2 -> DECIMAL(3, 0). */
export function decimalTypeOf(value: Decimal): DecimalType {
  // SQL decimals have no negative scale.
  const v = value.scale < 0 ? value.setScale(0, 'UNNECESSARY') : value;
  // BigDecimal's precision of 0.005 is 1; SQL wants 4 (the integer zero counts).
  if (v.abs().compareTo(Decimal.ONE) < 0) return decimal(v.scale + 1, v.scale);
  return decimal(v.precision(), v.scale);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

/** Result DECIMAL of `left op right`, exactly as ksqlDB's SqlDecimal (no cap on precision). */
export function decimalArithmeticType(op: ArithmeticOperator, left: DecimalType, right: DecimalType): DecimalType {
  const { precision: p1, scale: s1 } = left;
  const { precision: p2, scale: s2 } = right;
  switch (op) {
    case '+':
    case '-':
      return decimal(Math.max(s1, s2) + Math.max(p1 - s1, p2 - s2) + 1, Math.max(s1, s2));
    case '*':
      return decimal(p1 + p2 + 1, s1 + s2);
    case '/': {
      const scale = Math.max(6, s1 + p2 + 1);
      return decimal(p1 - s1 + s2 + scale, scale);
    }
    case '%':
      return decimal(Math.min(p1 - s1, p2 - s2) + Math.max(s1, s2), Math.max(s1, s2));
    default: {
      const unreachable: never = op;
      throw new Error(`Unknown operator ${String(unreachable)}`);
    }
  }
}

/**
 * Type of `left op right`: the wider numeric type (INTEGER < BIGINT < DECIMAL < DOUBLE);
 * DECIMAL results follow decimalArithmeticType with INTEGER/BIGINT upcast to DECIMAL(10,0) /
 * DECIMAL(19,0); STRING + STRING concatenates. Otherwise throws ksqlDB's
 * "Unsupported arithmetic types. BOOLEAN DECIMAL".
 */
export function arithmeticResultType(op: ArithmeticOperator, left: SqlType, right: SqlType): SqlType {
  if (op === '+' && left.kind === 'STRING' && right.kind === 'STRING') return STRING;
  if (isNumeric(left) && isNumeric(right)) {
    if (baseTypeCanImplicitlyCast(left.kind, right.kind)) {
      return right.kind === 'DECIMAL' ? decimalArithmeticType(op, toDecimalType(left), right) : right;
    }
    if (baseTypeCanImplicitlyCast(right.kind, left.kind)) {
      return left.kind === 'DECIMAL' ? decimalArithmeticType(op, left, toDecimalType(right)) : left;
    }
  }
  throw new SqlTypeError(`Unsupported arithmetic types. ${left.kind} ${right.kind}`);
}

/** Java int overflow: keep the low 32 bits. */
export function wrapInt(n: number): number {
  return n | 0;
}

/** Java long overflow: keep the low 64 bits. */
export function wrapLong(b: bigint): bigint {
  return BigInt.asIntN(64, b);
}

/** INTEGER arithmetic with Java int semantics: wraps, / truncates, / and % by zero throw. */
export function intArithmetic(op: ArithmeticOperator, a: number, b: number): number {
  switch (op) {
    case '+':
      return (a + b) | 0;
    case '-':
      return (a - b) | 0;
    case '*':
      return Math.imul(a, b);
    case '/':
      if (b === 0) throw new SqlValueError('/ by zero');
      return (a / b) | 0;
    case '%':
      if (b === 0) throw new SqlValueError('/ by zero');
      return (a % b) | 0;
    default: {
      const unreachable: never = op;
      throw new Error(`Unknown operator ${String(unreachable)}`);
    }
  }
}

/** BIGINT arithmetic with Java long semantics: wraps, / truncates, / and % by zero throw. */
export function longArithmetic(op: ArithmeticOperator, a: bigint, b: bigint): bigint {
  switch (op) {
    case '+':
      return wrapLong(a + b);
    case '-':
      return wrapLong(a - b);
    case '*':
      return wrapLong(a * b);
    case '/':
      if (b === 0n) throw new SqlValueError('/ by zero');
      return wrapLong(a / b);
    case '%':
      if (b === 0n) throw new SqlValueError('/ by zero');
      return a % b;
    default: {
      const unreachable: never = op;
      throw new Error(`Unknown operator ${String(unreachable)}`);
    }
  }
}

/** DOUBLE arithmetic: IEEE 754 (x / 0 is Infinity or NaN; % is Java's fmod). */
export function doubleArithmetic(op: ArithmeticOperator, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    default: {
      const unreachable: never = op;
      throw new Error(`Unknown operator ${String(unreachable)}`);
    }
  }
}

/**
 * DECIMAL arithmetic as ksqlDB's generated code does it:
 * `a.op(b, new MathContext(precision, UNNECESSARY)).setScale(scale)`. Throws (so the
 * expression yields null) on division by zero, or when the exact result would need rounding
 * (e.g. 1 / 3).
 */
export function decimalArithmetic(op: ArithmeticOperator, a: Decimal, b: Decimal, result: DecimalType): Decimal {
  const { precision, scale } = result;
  let value: Decimal;
  switch (op) {
    case '+':
      value = a.add(b).round(precision, 'UNNECESSARY');
      break;
    case '-':
      value = a.subtract(b).round(precision, 'UNNECESSARY');
      break;
    case '*':
      value = a.multiply(b).round(precision, 'UNNECESSARY');
      break;
    case '/':
      value = a.divideToPrecision(b, precision, 'UNNECESSARY');
      break;
    case '%':
      value = a.remainder(b, precision);
      break;
    default: {
      const unreachable: never = op;
      throw new Error(`Unknown operator ${String(unreachable)}`);
    }
  }
  return value.setScale(scale, 'UNNECESSARY');
}

export interface CompiledArithmetic {
  /** The type of the result. */
  readonly type: SqlType;
  /** Computes `left op right`; null if either is null; throws SqlValueError like Java would. */
  readonly apply: (left: unknown, right: unknown) => unknown;
}

/** Resolve the result type once and return an evaluator with ksqlDB's runtime semantics. */
export function compileArithmetic(op: ArithmeticOperator, leftType: SqlType, rightType: SqlType): CompiledArithmetic {
  const type = arithmeticResultType(op, leftType, rightType);
  const nullSafe =
    (fn: (l: unknown, r: unknown) => unknown) =>
    (l: unknown, r: unknown): unknown =>
      l === null || l === undefined || r === null || r === undefined ? null : fn(l, r);
  switch (type.kind) {
    case 'STRING':
      return { type, apply: nullSafe((l, r) => (l as string) + (r as string)) };
    case 'INTEGER':
      return { type, apply: nullSafe((l, r) => intArithmetic(op, l as number, r as number)) };
    case 'BIGINT': {
      const toLong = (v: unknown, t: SqlType): bigint => (t.kind === 'BIGINT' ? (v as bigint) : BigInt(v as number));
      return { type, apply: nullSafe((l, r) => longArithmetic(op, toLong(l, leftType), toLong(r, rightType))) };
    }
    case 'DOUBLE': {
      // Java widens int/long to double; ksqlDB casts a DECIMAL side to DOUBLE.
      const toDouble = (v: unknown, t: SqlType): number =>
        t.kind === 'DOUBLE' ? (v as number) : (castValue(v, t, DOUBLE) as number);
      return { type, apply: nullSafe((l, r) => doubleArithmetic(op, toDouble(l, leftType), toDouble(r, rightType))) };
    }
    case 'DECIMAL': {
      const l = toDecimalType(leftType);
      const r = toDecimalType(rightType);
      return {
        type,
        apply: nullSafe((a, b) =>
          decimalArithmetic(op, castValue(a, leftType, l) as Decimal, castValue(b, rightType, r) as Decimal, type),
        ),
      };
    }
    default:
      throw new SqlTypeError(`Unsupported arithmetic types. ${leftType.kind} ${rightType.kind}`);
  }
}

/** Unary minus with Java semantics (-Integer.MIN_VALUE stays MIN_VALUE). */
export function negateValue(value: unknown, type: SqlType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'INTEGER':
      return -(value as number) | 0;
    case 'BIGINT':
      return wrapLong(-(value as bigint));
    case 'DOUBLE':
      return -(value as number);
    case 'DECIMAL':
      return (value as Decimal).negate();
    default:
      throw new SqlTypeError(`Unsupported arithmetic type for negation: ${formatType(type)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Comparisons

export type ComparisonOperator =
  | 'EQUAL'
  | 'NOT_EQUAL'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL'
  | 'IS_DISTINCT_FROM'
  | 'IS_NOT_DISTINCT_FROM';

/**
 * Whether ksqlDB accepts `left op right` (its ComparisonUtil): numbers with numbers; STRING with
 * STRING or a temporal type; DATE/TIMESTAMP with DATE, TIMESTAMP or STRING; TIME with TIME or
 * STRING; BOOLEAN, ARRAY, MAP, STRUCT only with their own kind and only for (in)equality;
 * BYTES with BYTES. A false answer becomes "Cannot compare X (T) to Y (U) with OP."
 */
export function canCompare(left: SqlType, op: ComparisonOperator, right: SqlType): boolean {
  const equality = op === 'EQUAL' || op === 'NOT_EQUAL' || op === 'IS_DISTINCT_FROM' || op === 'IS_NOT_DISTINCT_FROM';
  switch (left.kind) {
    case 'INTEGER':
    case 'BIGINT':
    case 'DECIMAL':
    case 'DOUBLE':
      return isNumeric(right);
    case 'STRING':
      return right.kind === 'STRING' || right.kind === 'DATE' || right.kind === 'TIME' || right.kind === 'TIMESTAMP';
    case 'BOOLEAN':
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return right.kind === left.kind && equality;
    case 'DATE':
    case 'TIMESTAMP':
      return right.kind === 'DATE' || right.kind === 'TIMESTAMP' || right.kind === 'STRING';
    case 'TIME':
      return right.kind === 'TIME' || right.kind === 'STRING';
    case 'BYTES':
      return right.kind === 'BYTES';
    default: {
      const unreachable: never = left;
      throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Implicit casts and common types

/** By kind only: the same kind, or numeric widening INTEGER -> BIGINT -> DECIMAL -> DOUBLE. */
export function baseTypeCanImplicitlyCast(from: SqlTypeKind, to: SqlTypeKind): boolean {
  if (from === to) return true;
  const f = NUMERIC_KINDS.indexOf(from);
  const t = NUMERIC_KINDS.indexOf(to);
  return f >= 0 && t >= 0 && f <= t;
}

/**
 * Whether every value of `from` can stand where `to` is expected without an explicit CAST and
 * without loss (the documented general rules): numeric widening, where a DECIMAL target must
 * hold all values (INTEGER as DECIMAL(10,0), BIGINT as DECIMAL(19,0)); ARRAY and MAP
 * element-wise; STRUCT where every field present in both can be cast (missing fields read null).
 */
export function canImplicitlyCast(from: SqlType, to: SqlType): boolean {
  if (typesEqual(from, to)) return true;
  if (isNumeric(from) && isNumeric(to)) {
    if (!baseTypeCanImplicitlyCast(from.kind, to.kind)) return false;
    return to.kind === 'DECIMAL' ? decimalFits(toDecimalType(from), to) : true;
  }
  if (from.kind === 'ARRAY' && to.kind === 'ARRAY') return canImplicitlyCast(from.item, to.item);
  if (from.kind === 'MAP' && to.kind === 'MAP') {
    return canImplicitlyCast(from.key, to.key) && canImplicitlyCast(from.value, to.value);
  }
  if (from.kind === 'STRUCT' && to.kind === 'STRUCT') {
    return to.fields.every((t) => {
      const f = from.fields.find((x) => x.name === t.name);
      return f === undefined || canImplicitlyCast(f.type, t.type);
    });
  }
  return false;
}

/**
 * STRICT coerces expressions (no STRING <-> BOOLEAN/numeric); LAX coerces user literals and also
 * allows STRING <-> BOOLEAN, STRING <-> numbers and temporal -> STRING, as in ksqlDB's docs.
 */
export type CoercionMode = 'STRICT' | 'LAX';

type CoercionRule = 'PASS' | 'DECIMAL' | 'ARRAY' | 'MAP' | 'STRUCT';

const STRICT_RULES: ReadonlyMap<string, CoercionRule> = new Map<string, CoercionRule>([
  ['BOOLEAN>BOOLEAN', 'PASS'],
  ['INTEGER>INTEGER', 'PASS'],
  ['INTEGER>BIGINT', 'PASS'],
  ['INTEGER>DECIMAL', 'DECIMAL'],
  ['INTEGER>DOUBLE', 'PASS'],
  ['BIGINT>BIGINT', 'PASS'],
  ['BIGINT>DECIMAL', 'DECIMAL'],
  ['BIGINT>DOUBLE', 'PASS'],
  ['DECIMAL>DECIMAL', 'DECIMAL'],
  ['DECIMAL>DOUBLE', 'PASS'],
  ['DOUBLE>DOUBLE', 'PASS'],
  ['STRING>STRING', 'PASS'],
  ['STRING>TIMESTAMP', 'PASS'],
  ['STRING>TIME', 'PASS'],
  ['STRING>DATE', 'PASS'],
  ['STRING>BYTES', 'PASS'],
  ['ARRAY>ARRAY', 'ARRAY'],
  ['MAP>MAP', 'MAP'],
  ['STRUCT>STRUCT', 'STRUCT'],
  ['TIMESTAMP>TIMESTAMP', 'PASS'],
  ['TIME>TIME', 'PASS'],
  ['DATE>DATE', 'PASS'],
  ['BYTES>BYTES', 'PASS'],
]);

const LAX_RULES: ReadonlyMap<string, CoercionRule> = new Map<string, CoercionRule>([
  ...STRICT_RULES,
  ...(
    [
      'BOOLEAN>STRING',
      'INTEGER>STRING',
      'BIGINT>STRING',
      'DECIMAL>STRING',
      'DOUBLE>STRING',
      'STRING>BOOLEAN',
      'STRING>INTEGER',
      'STRING>BIGINT',
      'STRING>DECIMAL',
      'STRING>DOUBLE',
      'TIMESTAMP>STRING',
      'TIME>STRING',
      'DATE>STRING',
    ] as const
  ).map((k): [string, CoercionRule] => [k, 'PASS']),
]);

function coercionRule(from: SqlTypeKind, to: SqlTypeKind, mode: CoercionMode): CoercionRule | undefined {
  return (mode === 'LAX' ? LAX_RULES : STRICT_RULES).get(`${from}>${to}`);
}

/**
 * The type values of `from` become when coerced towards `to` (ksqlDB's
 * SqlValueCoercer.canCoerce), or undefined when not allowed. Usually `to`, except that DECIMAL
 * targets widen to hold both sides and STRUCTs take the union of their fields.
 */
export function coercionTarget(from: SqlType, to: SqlType, mode: CoercionMode = 'STRICT'): SqlType | undefined {
  const rule = coercionRule(from.kind, to.kind, mode);
  switch (rule) {
    case undefined:
      return undefined;
    case 'PASS':
      return to;
    case 'DECIMAL':
      return widenDecimal(from, to);
    case 'ARRAY': {
      if (from.kind !== 'ARRAY' || to.kind !== 'ARRAY') return undefined;
      const item = coercionTarget(from.item, to.item, mode);
      return item && array(item);
    }
    case 'MAP': {
      if (from.kind !== 'MAP' || to.kind !== 'MAP') return undefined;
      const key = coercionTarget(from.key, to.key, mode);
      const value = key && coercionTarget(from.value, to.value, mode);
      return key && value && map(key, value);
    }
    case 'STRUCT': {
      if (from.kind !== 'STRUCT' || to.kind !== 'STRUCT') return undefined;
      const names = [...new Set([...from.fields, ...to.fields].map((f) => f.name))];
      const fields: StructField[] = [];
      for (const name of names) {
        const f = from.fields.find((x) => x.name === name);
        const t = to.fields.find((x) => x.name === name);
        const type = f && t ? coercionTarget(f.type, t.type, mode) : (f ?? t)?.type;
        if (type === undefined) return undefined;
        fields.push({ name, type });
      }
      return struct(fields);
    }
    default: {
      const unreachable: never = rule;
      throw new Error(`Unknown rule ${String(unreachable)}`);
    }
  }
}

/**
 * The type all of `types` can be coerced to (for CASE branches, IN lists, ARRAY[...] and
 * MAP(...) elements), folding left to right as ksqlDB does; undefined if there is none or the
 * list is empty. Callers drop untyped NULL literals first.
 */
export function commonSuperType(types: readonly SqlType[]): SqlType | undefined {
  if (types.length === 0) return undefined;
  let common: SqlType = types[0];
  for (const next of types.slice(1)) {
    const widened = coercionTarget(next, common) ?? coercionTarget(common, next);
    if (widened === undefined) return undefined;
    common = widened;
  }
  return common;
}

export type CoercionResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

const FAILED: CoercionResult = Object.freeze({ ok: false });
const ok = (value: unknown): CoercionResult => ({ ok: true, value });

/**
 * Convert a value of type `from` to type `to` without loss (ksqlDB's SqlValueCoercer.coerce):
 * used for literals and INSERT VALUES. DECIMAL targets never round: a value that does not fit
 * fails. STRING sources are trimmed before parsing.
 */
export function coerceValue(value: unknown, from: SqlType, to: SqlType, mode: CoercionMode = 'STRICT'): CoercionResult {
  if (value === null || value === undefined) return ok(null);
  const rule = coercionRule(from.kind, to.kind, mode);
  if (rule === undefined) return FAILED;
  try {
    switch (rule) {
      case 'DECIMAL':
        return ok(ensureFit(toDecimalValue(value, from), to as DecimalType));
      case 'ARRAY': {
        if (from.kind !== 'ARRAY' || to.kind !== 'ARRAY') return FAILED;
        const out: unknown[] = [];
        for (const item of value as readonly unknown[]) {
          const r = coerceValue(item, from.item, to.item, mode);
          if (!r.ok) return FAILED;
          out.push(r.value);
        }
        return ok(out);
      }
      case 'MAP': {
        if (from.kind !== 'MAP' || to.kind !== 'MAP') return FAILED;
        const out = new Map<unknown, unknown>();
        for (const [k, v] of value as ReadonlyMap<unknown, unknown>) {
          const key = coerceValue(k, from.key, to.key, mode);
          const val = coerceValue(v, from.value, to.value, mode);
          if (!key.ok || !val.ok) return FAILED;
          out.set(key.value, val.value);
        }
        return ok(out);
      }
      case 'STRUCT': {
        if (from.kind !== 'STRUCT' || to.kind !== 'STRUCT') return FAILED;
        const source = value as Struct;
        const out: Struct = {};
        for (const t of to.fields) {
          const f = from.fields.find((x) => x.name === t.name);
          const r = f ? coerceValue(source[f.name] ?? null, f.type, t.type, mode) : ok(null);
          if (!r.ok) return FAILED;
          out[t.name] = r.value;
        }
        return ok(out);
      }
      case 'PASS':
        return ok(coercePrimitive(value, from, to));
      default: {
        const unreachable: never = rule;
        throw new Error(`Unknown rule ${String(unreachable)}`);
      }
    }
  } catch (e) {
    if (e instanceof SqlValueError) return FAILED;
    throw e;
  }
}

function coercePrimitive(value: unknown, from: SqlType, to: SqlType): unknown {
  if (from.kind === to.kind) return value;
  if (to.kind === 'STRING') return coercedToString(value, from);
  if (from.kind === 'STRING') {
    const text = javaTrim(value as string);
    switch (to.kind) {
      case 'BOOLEAN': {
        const parsed = parseBooleanExact(text);
        if (parsed === undefined) throw new SqlValueError(`Not a boolean: "${text}"`);
        return parsed;
      }
      case 'DECIMAL':
        return ensureFit(Decimal.parse(text), to);
      default:
        return castValue(text, from, to);
    }
  }
  // Numeric widening: INTEGER -> BIGINT, INTEGER/BIGINT/DECIMAL -> DOUBLE.
  return castValue(value, from, to);
}

// Java's Object.toString() of the value, except DECIMAL (plain) and temporal types (ISO).
function coercedToString(value: unknown, from: SqlType): string {
  switch (from.kind) {
    case 'DECIMAL':
      return (value as Decimal).toPlainString();
    case 'TIMESTAMP':
      return formatTimestamp(value as number);
    case 'TIME':
      return formatTime(value as number);
    case 'DATE':
      return formatDate(value as number);
    default:
      return valueToJavaString(value, from);
  }
}

/** Check a DECIMAL fits the type without rounding; returns it at the type's scale. */
export function ensureFit(value: Decimal, type: DecimalType): Decimal {
  ensureMax(value, type);
  try {
    return value.setScale(type.scale, 'UNNECESSARY');
  } catch {
    throw new SqlValueError(
      `Cannot fit decimal '${value.toPlainString()}' into DECIMAL(${type.precision}, ${type.scale}) ` +
        `without rounding. (Requires ${value.precision()},${value.scale})`,
    );
  }
}

function ensureMax(value: Decimal, type: DecimalType): void {
  const digits = type.precision - type.scale;
  if (value.abs().compareTo(new Decimal(1n, -digits)) >= 0) {
    throw new SqlValueError(
      `Numeric field overflow: A field with precision ${type.precision} and scale ${type.scale} ` +
        `must round to an absolute value less than 10^${digits}. Got ${value.toPlainString()}`,
    );
  }
}

function toDecimalValue(value: unknown, from: SqlType): Decimal {
  switch (from.kind) {
    case 'DECIMAL':
      return value as Decimal;
    case 'INTEGER':
      return Decimal.fromInteger(value as number);
    case 'BIGINT':
      return Decimal.fromBigInt(value as bigint);
    default:
      throw new SqlValueError(`Cannot convert ${from.kind} to DECIMAL`);
  }
}

// ---------------------------------------------------------------------------------------------
// Explicit CAST

const CASTS: Readonly<Record<SqlTypeKind, readonly SqlTypeKind[]>> = {
  BOOLEAN: ['STRING'],
  INTEGER: ['BIGINT', 'DECIMAL', 'DOUBLE', 'STRING'],
  BIGINT: ['INTEGER', 'DECIMAL', 'DOUBLE', 'STRING'],
  DECIMAL: ['INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE', 'STRING'],
  DOUBLE: ['INTEGER', 'BIGINT', 'DECIMAL', 'STRING'],
  STRING: ['BOOLEAN', 'INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE', 'TIMESTAMP', 'TIME', 'DATE', 'BYTES'],
  BYTES: [],
  DATE: ['TIMESTAMP', 'STRING'],
  TIME: ['STRING'],
  TIMESTAMP: ['STRING', 'TIME', 'DATE'],
  ARRAY: ['ARRAY', 'STRING'],
  MAP: ['MAP', 'STRING'],
  STRUCT: ['STRUCT', 'STRING'],
};

/** Whether `CAST(x AS to)` is allowed for x of type `from` (recursively for collections). */
export function canCast(from: SqlType, to: SqlType): boolean {
  if (typesEqual(from, to)) return true;
  if (!CASTS[from.kind].includes(to.kind)) return false;
  if (from.kind === 'ARRAY' && to.kind === 'ARRAY') return canCast(from.item, to.item);
  if (from.kind === 'MAP' && to.kind === 'MAP') return canCast(from.key, to.key) && canCast(from.value, to.value);
  if (from.kind === 'STRUCT' && to.kind === 'STRUCT') {
    return from.fields.every((f) => {
      const t = to.fields.find((x) => x.name === f.name);
      return t === undefined || canCast(f.type, t.type);
    });
  }
  return true;
}

/** Throws ksqlDB's "Cast of STRING to ARRAY<INTEGER> is not supported" when canCast is false. */
export function checkCast(from: SqlType, to: SqlType): void {
  if (!canCast(from, to)) {
    throw new SqlTypeError(`Cast of ${formatType(from)} to ${formatType(to)} is not supported`);
  }
}

/**
 * `CAST(value AS to)` with ksqlDB's semantics: DOUBLE -> INTEGER/BIGINT truncates and saturates,
 * BIGINT/DECIMAL -> INTEGER keep the low bits (Java intValue), -> DECIMAL rounds HALF_UP and
 * throws on overflow, STRING sources are trimmed then parsed (throws on bad input), and
 * collections convert element-wise. Assumes canCast(from, to).
 */
export function castValue(value: unknown, from: SqlType, to: SqlType): unknown {
  if (value === null || value === undefined) return null;
  if (typesEqual(from, to)) return value;
  switch (to.kind) {
    case 'STRING':
      return castToString(value, from);
    case 'BOOLEAN':
      return parseBooleanLenient(javaTrim(asString(value, from, to)));
    case 'INTEGER':
      return castToInteger(value, from);
    case 'BIGINT':
      return castToBigint(value, from);
    case 'DOUBLE':
      return castToDouble(value, from);
    case 'DECIMAL':
      return castToDecimal(value, from, to);
    case 'TIMESTAMP':
      if (from.kind === 'DATE') return dateToTimestamp(value as number);
      return parseTimestamp(javaTrim(asString(value, from, to)));
    case 'TIME':
      if (from.kind === 'TIMESTAMP') return timestampToTime(value as number);
      return parseTime(javaTrim(asString(value, from, to)));
    case 'DATE':
      if (from.kind === 'TIMESTAMP') return timestampToDate(value as number);
      return parseDate(javaTrim(asString(value, from, to)));
    case 'BYTES':
      return decodeBase64(javaTrim(asString(value, from, to)));
    case 'ARRAY': {
      if (from.kind !== 'ARRAY') throw unsupportedCast(from, to);
      return (value as readonly unknown[]).map((item) => castValue(item, from.item, to.item));
    }
    case 'MAP': {
      if (from.kind !== 'MAP') throw unsupportedCast(from, to);
      const out = new Map<unknown, unknown>();
      for (const [k, v] of value as ReadonlyMap<unknown, unknown>) {
        out.set(castValue(k, from.key, to.key), castValue(v, from.value, to.value));
      }
      return out;
    }
    case 'STRUCT': {
      if (from.kind !== 'STRUCT') throw unsupportedCast(from, to);
      const source = value as Struct;
      const out: Struct = {};
      for (const t of to.fields) {
        const f = from.fields.find((x) => x.name === t.name);
        out[t.name] = f ? castValue(source[f.name] ?? null, f.type, t.type) : null;
      }
      return out;
    }
    default: {
      const unreachable: never = to;
      throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
    }
  }
}

function unsupportedCast(from: SqlType, to: SqlType): SqlTypeError {
  return new SqlTypeError(`Cast of ${formatType(from)} to ${formatType(to)} is not supported`);
}

function asString(value: unknown, from: SqlType, to: SqlType): string {
  if (from.kind !== 'STRING') throw unsupportedCast(from, to);
  return value as string;
}

function castToString(value: unknown, from: SqlType): string {
  switch (from.kind) {
    case 'DECIMAL':
      return (value as Decimal).toPlainString();
    case 'TIMESTAMP':
      return formatTimestamp(value as number);
    case 'TIME':
      return formatTime(value as number);
    case 'DATE':
      return formatDate(value as number);
    case 'BYTES':
      throw unsupportedCast(from, STRING);
    default:
      return valueToJavaString(value, from);
  }
}

function castToInteger(value: unknown, from: SqlType): number {
  switch (from.kind) {
    case 'BIGINT':
      return Number(BigInt.asIntN(32, value as bigint));
    case 'DECIMAL':
      return (value as Decimal).intValue();
    case 'DOUBLE':
      return doubleToInt(value as number);
    case 'STRING':
      return Number(parseJavaInteger(value as string, 32));
    default:
      throw unsupportedCast(from, { kind: 'INTEGER' });
  }
}

function castToBigint(value: unknown, from: SqlType): bigint {
  switch (from.kind) {
    case 'INTEGER':
      return BigInt(value as number);
    case 'DECIMAL':
      return (value as Decimal).longValue();
    case 'DOUBLE':
      return doubleToLong(value as number);
    case 'STRING':
      return parseJavaInteger(value as string, 64);
    default:
      throw unsupportedCast(from, { kind: 'BIGINT' });
  }
}

function castToDouble(value: unknown, from: SqlType): number {
  switch (from.kind) {
    case 'INTEGER':
      return value as number;
    case 'BIGINT':
      return Number(value as bigint);
    case 'DECIMAL':
      return (value as Decimal).toNumber();
    case 'STRING':
      return parseDouble(value as string);
    default:
      throw unsupportedCast(from, DOUBLE);
  }
}

// ksqlDB's DecimalUtil.cast: check the integer digits fit, then round HALF_UP to the scale.
function castToDecimal(value: unknown, from: SqlType, to: DecimalType): Decimal {
  let d: Decimal;
  switch (from.kind) {
    case 'INTEGER':
      d = Decimal.fromInteger(value as number);
      break;
    case 'BIGINT':
      d = Decimal.fromBigInt(value as bigint);
      break;
    case 'DECIMAL':
      d = value as Decimal;
      if (d.precision() === to.precision && d.scale === to.scale) return d;
      break;
    case 'DOUBLE': {
      const n = value as number;
      if (!Number.isFinite(n)) throw new SqlValueError('Infinite or NaN');
      // new BigDecimal(double, new MathContext(precision)): exact binary value, rounded.
      d = Decimal.fromNumberExact(n).round(to.precision, 'HALF_UP');
      break;
    }
    case 'STRING':
      d = Decimal.parse(javaTrim(value as string));
      break;
    default:
      throw unsupportedCast(from, to);
  }
  ensureMax(d, to);
  return d.setScale(to.scale, 'HALF_UP');
}

/** Java's (int) d: truncates toward zero, saturates, NaN -> 0. */
export function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d) | 0;
}

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

/** Java's (long) d: truncates toward zero, saturates, NaN -> 0. */
export function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= 9223372036854775807) return LONG_MAX;
  if (d <= -9223372036854775808) return LONG_MIN;
  return BigInt(Math.trunc(d));
}

/** Integer.parseInt / Long.parseLong of trimmed text: optional sign, ASCII digits, in range. */
export function parseJavaInteger(text: string, bits: 32 | 64): bigint {
  const trimmed = javaTrim(text);
  if (/^[+-]?\d+$/.test(trimmed)) {
    const value = BigInt(trimmed);
    if (BigInt.asIntN(bits, value) === value) return value;
  }
  throw new SqlValueError(`For input string: "${text}"`);
}

/** CAST(string AS BOOLEAN): true for a prefix of "true" or "yes" (any case), otherwise false. */
export function parseBooleanLenient(text: string): boolean {
  return parseBooleanExact(text) === true;
}

/**
 * A non-empty prefix of true/yes (-> true) or false/no (-> false), ignoring case, as in
 * ksqlDB's literal rules ("fal", "Y"); undefined for anything else.
 */
export function parseBooleanExact(text: string): boolean | undefined {
  if (text.length === 0) return undefined;
  const lower = text.toLowerCase();
  if ('true'.startsWith(lower) || 'yes'.startsWith(lower)) return true;
  if ('false'.startsWith(lower) || 'no'.startsWith(lower)) return false;
  return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict standard base64 (java.util.Base64.getDecoder()); padding optional. */
export function decodeBase64(text: string): Uint8Array {
  const unpadded = text.replace(/=+$/, '');
  if (!BASE64.test(text) || unpadded.length % 4 === 1 || (text.length > unpadded.length && text.length % 4 !== 0)) {
    throw new SqlValueError(`Illegal base64 character or length in "${text}"`);
  }
  return Uint8Array.from(Buffer.from(unpadded, 'base64'));
}

/**
 * The value as Java's String.valueOf prints it (what CAST(... AS STRING) produces for
 * booleans, numbers and collections): "[1, 2]", "{k=v}", "Struct{A=1,B=x}" (null fields
 * omitted), doubles as Double.toString, nested DECIMAL as BigDecimal.toString.
 */
export function valueToJavaString(value: unknown, type: SqlType): string {
  if (value === null || value === undefined) return 'null';
  switch (type.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
    case 'STRING':
      return String(value);
    case 'DOUBLE':
      return formatDouble(value as number);
    case 'DECIMAL':
      return (value as Decimal).toJavaString();
    case 'BYTES': {
      const n = (value as Uint8Array).length;
      return `java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]`;
    }
    case 'DATE':
      return javaSqlDateString(value as number);
    case 'TIME':
      return javaSqlTimeString(value as number);
    case 'TIMESTAMP':
      return javaSqlTimestampString(value as number);
    case 'ARRAY':
      return `[${(value as readonly unknown[]).map((v) => valueToJavaString(v, type.item)).join(', ')}]`;
    case 'MAP': {
      const entries = [...(value as ReadonlyMap<unknown, unknown>)].map(
        ([k, v]) => `${valueToJavaString(k, type.key)}=${valueToJavaString(v, type.value)}`,
      );
      return `{${entries.join(', ')}}`;
    }
    case 'STRUCT': {
      const s = value as Struct;
      const fields = type.fields
        .filter((f) => s[f.name] !== null && s[f.name] !== undefined)
        .map((f) => `${f.name}=${valueToJavaString(s[f.name], f.type)}`);
      return `Struct{${fields.join(',')}}`;
    }
    default: {
      const unreachable: never = type;
      throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
    }
  }
}
