/**
 * What the planner must know of each serialization format: its name, whether it
 * needs the schema registry, and which column types and shapes it can carry.
 * (The serde layer does the bytes; this is the catalogue ksqlDB checks statements against.)
 */
import type { SqlType } from '../schema/index.js';
import { KsqlError } from './errors.js';

export interface FormatTraits {
  readonly name: string;
  /** Reads its columns from the schema registry when a CREATE has none. */
  readonly schemaInference: boolean;
  /** Can hold more than one column (KAFKA and DELIMITED keys cannot nest; KAFKA holds one column). */
  readonly multiColumn: boolean;
  /** Types it cannot carry at all. */
  readonly unsupported: readonly SqlType['kind'][];
  /** Whether WRAP_SINGLE_VALUE may be set. */
  readonly wrapping: boolean;
}

export const FORMATS: Readonly<Record<string, FormatTraits>> = {
  KAFKA: { name: 'KAFKA', schemaInference: false, multiColumn: false, unsupported: ['BOOLEAN', 'DECIMAL', 'ARRAY', 'MAP', 'STRUCT', 'DATE', 'TIME', 'TIMESTAMP'], wrapping: false },
  JSON: { name: 'JSON', schemaInference: false, multiColumn: true, unsupported: [], wrapping: true },
  JSON_SR: { name: 'JSON_SR', schemaInference: true, multiColumn: true, unsupported: [], wrapping: true },
  AVRO: { name: 'AVRO', schemaInference: true, multiColumn: true, unsupported: [], wrapping: true },
  PROTOBUF: { name: 'PROTOBUF', schemaInference: true, multiColumn: true, unsupported: [], wrapping: true },
  PROTOBUF_NOSR: { name: 'PROTOBUF_NOSR', schemaInference: false, multiColumn: true, unsupported: [], wrapping: true },
  DELIMITED: { name: 'DELIMITED', schemaInference: false, multiColumn: true, unsupported: ['ARRAY', 'MAP', 'STRUCT'], wrapping: false },
  NONE: { name: 'NONE', schemaInference: false, multiColumn: false, unsupported: [], wrapping: false },
};

/** The format of a name as written (case-insensitive), or ksqlDB's error. */
export function lookupFormat(name: string): FormatTraits {
  const traits = FORMATS[name.trim().toUpperCase()];
  if (!traits) throw new KsqlError(`Unknown format: ${name.trim().toUpperCase()}`);
  return traits;
}

/**
 * Whether an explicit WRAP_SINGLE_VALUE applies to `format`. Formats that never wrap (KAFKA,
 * DELIMITED) take 'false' as what they do anyway (false: nothing to record) and refuse 'true'.
 */
export function wrappingApplies(format: string, explicit: boolean): boolean {
  if (FORMATS[format]?.wrapping) return true;
  if (!explicit) return false;
  throw new KsqlError(`Format '${format}' does not support 'WRAP_SINGLE_VALUE' set to '${explicit}'.`);
}
