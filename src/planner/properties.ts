/**
 * The WITH (...) clause of CREATE and INSERT statements: names are
 * case-insensitive, values typed as ksqlDB expects them.
 */
import type { Property } from '../parser/index.js';
import { KsqlError } from './errors.js';

/** Properties accepted by CREATE STREAM/TABLE (with or without AS SELECT). */
export const SOURCE_PROPERTIES = [
  'KAFKA_TOPIC',
  'KEY_FORMAT',
  'VALUE_FORMAT',
  'FORMAT',
  'PARTITIONS',
  'REPLICAS',
  'RETENTION_MS',
  'TIMESTAMP',
  'TIMESTAMP_FORMAT',
  'WRAP_SINGLE_VALUE',
  'WINDOW_TYPE',
  'WINDOW_SIZE',
  'VALUE_DELIMITER',
  'KEY_DELIMITER',
  'KEY_SCHEMA_ID',
  'VALUE_SCHEMA_ID',
  'KEY_SCHEMA_FULL_NAME',
  'VALUE_SCHEMA_FULL_NAME',
  'VALUE_AVRO_SCHEMA_FULL_NAME',
  'KEY_PROTOBUF_NULLABLE_REPRESENTATION',
  'VALUE_PROTOBUF_NULLABLE_REPRESENTATION',
  'SOURCE_CONNECTOR',
  // KSQL 5.x named the key column of a table with KEY='col'; still accepted.
  'KEY',
] as const;

export type SourcePropertyName = (typeof SOURCE_PROPERTIES)[number];

/** The WITH clause as a name -> value map (names upper-cased); unknown names rejected. */
export class WithClause {
  private readonly values = new Map<string, string | number | boolean | null>();

  constructor(properties: readonly Property[], allowed: readonly string[] = SOURCE_PROPERTIES) {
    const unknown: string[] = [];
    for (const p of properties) {
      const name = p.name.toUpperCase();
      if (!allowed.includes(name)) unknown.push(name);
      const v = p.value;
      this.values.set(
        name,
        v.type === 'string' ? v.value : v.type === 'number' ? Number(v.text) : v.type === 'boolean' ? v.value : null,
      );
    }
    if (unknown.length > 0) throw new KsqlError(`Invalid config variable(s) in the WITH clause: ${unknown.join(',')}`);
  }

  has(name: SourcePropertyName): boolean {
    return this.values.has(name);
  }

  /** A string property (numbers and booleans as written). */
  string(name: SourcePropertyName): string | undefined {
    const v = this.values.get(name);
    return v === undefined || v === null ? undefined : String(v);
  }

  /** An integer property; a string that holds an integer is accepted too. */
  integer(name: SourcePropertyName): number | undefined {
    const v = this.values.get(name);
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (!Number.isInteger(n)) throw new KsqlError(`Invalid value for ${name} property: ${String(v)}`);
    return n;
  }

  boolean(name: SourcePropertyName): boolean | undefined {
    const v = this.values.get(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    const s = String(v).trim().toLowerCase();
    if (s === 'true' || s === 'false') return s === 'true';
    throw new KsqlError(`Property ${name} must be a boolean, got: ${String(v)}`);
  }
}

const UNIT_MS: Record<string, number> = {
  MILLISECOND: 1,
  SECOND: 1000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
};

/** A duration written in a property, e.g. WINDOW_SIZE='30 SECONDS', in milliseconds. */
export function parseDurationProperty(name: string, text: string): number {
  const m = /^\s*(\d+)\s+([a-z]+?)s?\s*$/i.exec(text);
  const unit = m?.[2]?.toUpperCase();
  const ms = unit === undefined ? undefined : UNIT_MS[unit];
  if (!m || ms === undefined) {
    throw new KsqlError(
      `Invalid duration: '${text}' for ${name}. Expected '<number> <time unit>', e.g. '10 SECONDS'; units: MILLISECONDS, SECONDS, MINUTES, HOURS, DAYS.`,
    );
  }
  return Number(m[1]) * ms;
}
