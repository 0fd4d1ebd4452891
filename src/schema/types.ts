import { SqlTypeError } from './errors.js';

/**
 * SQL types of the ksqlDB dialect, as a tagged union on `kind`.
 *
 * Runtime value representation (every layer relies on it):
 *   BOOLEAN   -> boolean
 *   INTEGER   -> number (32-bit integer)
 *   BIGINT    -> bigint (64-bit; JS numbers would lose precision past 2^53)
 *   DOUBLE    -> number
 *   DECIMAL   -> Decimal (see decimal.ts: unscaled bigint + scale)
 *   STRING    -> string
 *   BYTES     -> Uint8Array (Buffer at the edges)
 *   DATE      -> number: days since 1970-01-01
 *   TIME      -> number: milliseconds since midnight
 *   TIMESTAMP -> number: milliseconds since the epoch (UTC)
 *   ARRAY     -> unknown[] (elements may be null)
 *   MAP       -> Map<key, value> (insertion ordered)
 *   STRUCT    -> Struct: a plain object keyed by field name; fields absent or null read as null
 *   SQL NULL  -> null (never undefined)
 */
export type SqlType =
  | { readonly kind: 'BOOLEAN' }
  | { readonly kind: 'INTEGER' }
  | { readonly kind: 'BIGINT' }
  | { readonly kind: 'DOUBLE' }
  | { readonly kind: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'STRING' }
  | { readonly kind: 'BYTES' }
  | { readonly kind: 'DATE' }
  | { readonly kind: 'TIME' }
  | { readonly kind: 'TIMESTAMP' }
  | { readonly kind: 'ARRAY'; readonly item: SqlType }
  | { readonly kind: 'MAP'; readonly key: SqlType; readonly value: SqlType }
  | { readonly kind: 'STRUCT'; readonly fields: readonly StructField[] };

export interface StructField {
  readonly name: string;
  readonly type: SqlType;
}

export type SqlTypeKind = SqlType['kind'];
export type DecimalType = Extract<SqlType, { kind: 'DECIMAL' }>;
export type ArrayType = Extract<SqlType, { kind: 'ARRAY' }>;
export type MapType = Extract<SqlType, { kind: 'MAP' }>;
export type StructType = Extract<SqlType, { kind: 'STRUCT' }>;
export type Struct = Record<string, unknown>;

export const BOOLEAN: SqlType = Object.freeze({ kind: 'BOOLEAN' });
export const INTEGER: SqlType = Object.freeze({ kind: 'INTEGER' });
export const BIGINT: SqlType = Object.freeze({ kind: 'BIGINT' });
export const DOUBLE: SqlType = Object.freeze({ kind: 'DOUBLE' });
export const STRING: SqlType = Object.freeze({ kind: 'STRING' });
export const BYTES: SqlType = Object.freeze({ kind: 'BYTES' });
export const DATE: SqlType = Object.freeze({ kind: 'DATE' });
export const TIME: SqlType = Object.freeze({ kind: 'TIME' });
export const TIMESTAMP: SqlType = Object.freeze({ kind: 'TIMESTAMP' });

/** DECIMAL(precision, scale); throws on parameters ksqlDB rejects (precision < 1, scale < 0 or > precision). */
export function decimal(precision: number, scale: number): DecimalType {
  validateDecimalParameters(precision, scale);
  return { kind: 'DECIMAL', precision, scale };
}

export function validateDecimalParameters(precision: number, scale: number): void {
  const shown = `DECIMAL(${precision},${scale})`;
  if (!Number.isInteger(precision) || !Number.isInteger(scale)) {
    throw new SqlTypeError(`DECIMAL precision and scale must be integers: ${shown}`);
  }
  if (precision < 1) throw new SqlTypeError(`DECIMAL precision must be >= 1: ${shown}`);
  if (scale < 0) throw new SqlTypeError(`DECIMAL scale must be >= 0: ${shown}`);
  if (precision < scale) throw new SqlTypeError(`DECIMAL precision must be >= scale: ${shown}`);
}
export function array(item: SqlType): SqlType {
  return { kind: 'ARRAY', item };
}
export function map(key: SqlType, value: SqlType): SqlType {
  return { kind: 'MAP', key, value };
}
export function struct(fields: readonly StructField[]): SqlType {
  return { kind: 'STRUCT', fields };
}

export function field(name: string, type: SqlType): StructField {
  return { name, type };
}

/** INTEGER, BIGINT, DECIMAL and DOUBLE, in widening order. */
export const NUMERIC_KINDS: readonly SqlTypeKind[] = ['INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE'];

export function isNumeric(type: SqlType): boolean {
  return NUMERIC_KINDS.includes(type.kind);
}

/** DATE, TIME and TIMESTAMP. */
export function isTemporal(type: SqlType): boolean {
  return type.kind === 'DATE' || type.kind === 'TIME' || type.kind === 'TIMESTAMP';
}
