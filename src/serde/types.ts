/**
 * The serde contract between the runtime and the formats.
 *
 * Rows are positional: a key is the array of the key columns' values, a value the array of
 * the value columns' values, in schema order, with the value representation of
 * src/schema/types.ts (BIGINT as bigint, DECIMAL as Decimal, ...). A null row is a null
 * record (a tombstone for values, no key for keys).
 *
 * serialize/deserialize are synchronous and do no per-record name lookups: everything that
 * depends only on the schema is compiled when the serde is created.
 */
import type { SqlType } from '../schema/index.js';
import type { SchemaRegistry } from './registry.js';

/** One column as the serde sees it: name and type, in schema order. */
export interface SerdeColumn {
  readonly name: string;
  readonly type: SqlType;
}

export interface RowSerde {
  /** The format's name, upper-case ("AVRO"). */
  readonly format: string;
  readonly isKey: boolean;
  /** The registered schema this serde writes with (schema-registry formats, sinks only). */
  readonly schemaId?: number;
  /** The text of that schema. */
  readonly schema?: string;
  /**
   * Bytes for a row, or null for a null row (and for rows the format writes as null). The
   * result is a Node Buffer, possibly a view into Node's shared pool: respect its byteOffset.
   */
  serialize(row: readonly unknown[] | null, topic: string): Uint8Array | null;
  /** The row in some bytes; null bytes (or an explicit null value) give a null row. */
  deserialize(bytes: Uint8Array | null, topic: string): unknown[] | null;
}

/** Format properties, as ksqlDB's FormatInfo carries them. All values are strings. */
export const SerdeProperty = {
  /** DELIMITED: one character, or 'TAB' / 'SPACE'. Default ','. */
  DELIMITER: 'delimiter',
  /** Schema-registry formats: write with this registered schema (KEY_/VALUE_SCHEMA_ID). */
  SCHEMA_ID: 'schemaId',
  /** AVRO: full name of the root record (KEY_/VALUE_AVRO_SCHEMA_FULL_NAME). */
  FULL_SCHEMA_NAME: 'fullSchemaName',
  /** PROTOBUF: 'true' to read/write primitives bare rather than in wrapper messages. */
  UNWRAP_PRIMITIVES: 'unwrapPrimitives',
  /** PROTOBUF: how nullable fields are declared: 'optional' or 'wrapper' (default: neither). */
  NULLABLE_REPRESENTATION: 'nullableRepresentation',
} as const;

export interface SerdeOptions {
  /** KAFKA, JSON, JSON_SR, DELIMITED, NONE, AVRO, PROTOBUF (case-insensitive). */
  readonly format: string;
  /** See SerdeProperty. */
  readonly properties?: Readonly<Record<string, string>>;
  readonly columns: readonly SerdeColumn[];
  readonly isKey: boolean;
  /**
   * For a single column: true writes it inside a record/object (WRAP_SINGLE_VALUE=true),
   * false writes it bare (UNWRAP_SINGLE_VALUES). Default: wrapped for values, bare for keys.
   * Ignored for more than one column, and for formats without wrapping.
   */
  readonly wrapSingle?: boolean;
  readonly registry: SchemaRegistry;
  /** The topic the serde reads or writes; names the subject `<topic>-key` / `<topic>-value`. */
  readonly topic: string;
  /** Writes to the topic: register the format's schema for the subject (if it has one). */
  readonly sink: boolean;
}
