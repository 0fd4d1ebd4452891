/**
 * JSON and JSON_SR, as ksqlDB reads them (KsqlJsonDeserializer + JsonSerdeUtils) and writes
 * them (Kafka's JsonConverter with decimal.format=NUMERIC, or Confluent's JSON Schema
 * converter behind the wire header).
 *
 * Reading is lenient the way ksqlDB is: numbers from strings ("1"), any scalar into STRING,
 * DECIMAL from numbers or strings, TIMESTAMP / DATE / TIME from numbers or numeric strings,
 * BYTES from base64, struct fields matched exactly and then upper-cased. Writing is exact:
 * DECIMAL keeps its scale (1.50), BIGINT its 64 bits, DOUBLE prints as Java does (1.0).
 */
import {
  Decimal,
  ensureFit,
  formatType,
  parseDouble,
  type DecimalType,
  type SqlType,
  type Struct,
} from '../schema/index.js';
import { allocate, decodeBase64Strict, decodeUtf8Strict, encodeBase64, encodeUtf8 } from './bytes.js';
import { CoercionError, DeserializationError, SerdeConfigError, SerializationError } from './errors.js';
import {
  FIELDS_UPPER,
  JsonFieldTable,
  JsonNumber,
  JsonObject,
  NOT_AN_OBJECT,
  formatJsonDecimal,
  formatJsonDouble,
  jsonNumberText,
  parseJson,
  parseJsonFields,
  quoteJson,
  writeJsonValue,
  type JsonValue,
} from './json-text.js';
import { createNoneSerde } from './none.js';
import type { RowSerde, SerdeColumn } from './types.js';
import { WIRE_HEADER_SIZE, readSchemaId, writeHeader } from './wire.js';

export type JsonReader = (node: JsonValue) => unknown;
export type JsonWriter = (value: unknown) => string;

export interface JsonSerdeOptions {
  readonly format: 'JSON' | 'JSON_SR';
  readonly columns: readonly SerdeColumn[];
  readonly isKey: boolean;
  /** Write / read a single column inside an object. */
  readonly wrapped: boolean;
  /** JSON_SR: the id written in the wire header (sinks). */
  readonly schemaId?: number;
  /** JSON_SR with a given schema: top-level property order and defaults to write by. */
  readonly physical?: PhysicalJsonSchema;
  /** JSON_SR: the registered schema's text. */
  readonly schema?: string;
}

/** The parts of a registered JSON schema that shape what is written (VALUE_SCHEMA_ID). */
export interface PhysicalJsonSchema {
  /** Properties in the schema's order, with the JSON text of their default when they have one. */
  readonly properties: readonly { readonly name: string; readonly defaultJson?: string; readonly required: boolean }[];
}

export function createJsonSerde(options: JsonSerdeOptions): RowSerde {
  const { format, columns, isKey } = options;
  for (const c of columns) checkJsonType(c.type);
  if (isKey && columns.length === 0) return createNoneSerde(format, isKey);
  const target = isKey ? 'key' : 'value';
  const framed = format === 'JSON_SR';
  const wrapped = columns.length !== 1 || options.wrapped;

  const readRow = wrapped ? compileWrappedRowReader(columns) : compileUnwrappedRowReader(columns[0]);
  const writeRow = wrapped ? compileWrappedRowWriter(columns, options.physical) : compileUnwrappedRowWriter(columns[0]);
  const schemaId = options.schemaId;

  return {
    format,
    isKey,
    schemaId,
    schema: options.schema,
    serialize(row, topic) {
      if (row === null) return null;
      let text: string | null;
      try {
        text = writeRow(row);
      } catch (e) {
        throw new SerializationError(target, topic, (e as Error).message, { cause: e });
      }
      if (text === null) return null;
      if (!framed) return encodeUtf8(text);
      if (schemaId === undefined) {
        throw new SerializationError(target, topic, 'No schema is registered to write JSON_SR with (not a sink).');
      }
      const out = allocate(WIRE_HEADER_SIZE + Buffer.byteLength(text, 'utf8'));
      writeHeader(out, schemaId);
      out.write(text, WIRE_HEADER_SIZE, 'utf8');
      return out;
    },
    deserialize(bytes, topic) {
      if (bytes === null) return null;
      try {
        let start = 0;
        if (framed) {
          if (readSchemaId(bytes) === undefined) {
            throw new Error(
              'Got unexpected JSON serialization format that did not start with the magic byte. If this stream ' +
                'was not serialized using the JsonSchemaConverter, then make sure the stream is declared with JSON ' +
                'format (not JSON_SR).',
            );
          }
          start = WIRE_HEADER_SIZE;
        }
        readRow.parse(decodeUtf8Strict(bytes, start));
      } catch (e) {
        throw new DeserializationError(target, topic, (e as Error).message, { cause: e });
      }
      try {
        return readRow.read();
      } catch (e) {
        const reason = e instanceof CoercionError ? e.message : `${(e as Error).message}, path: $`;
        throw new DeserializationError(target, topic, reason, { cause: e });
      }
    },
  };
}

/** ksqlDB's JSON formats only carry MAPs with STRING keys. */
export function checkJsonType(type: SqlType): void {
  switch (type.kind) {
    case 'ARRAY':
      checkJsonType(type.item);
      return;
    case 'MAP':
      if (type.key.kind !== 'STRING') throw new SerdeConfigError('JSON only supports MAP types with STRING keys');
      checkJsonType(type.value);
      return;
    case 'STRUCT':
      for (const f of type.fields) checkJsonType(f.type);
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

/** Text to row in two steps, so that syntax errors and conversion errors are told apart. */
interface JsonRowReader {
  /** Parses a document (throws JsonSyntaxError). */
  parse(text: string): void;
  /** The row of the document parse last read (throws conversion errors). */
  read(): unknown[] | null;
}

function compileWrappedRowReader(columns: readonly SerdeColumn[]): JsonRowReader {
  const table = new JsonFieldTable(
    columns.map((c) => c.name),
    columns.map((c) => c.type.kind === 'DOUBLE'),
  );
  const readers = columns.map((c) => compileJsonReader(c.type));
  const paths = columns.map((c) => `$.${c.name}`);
  const required = formatType({ kind: 'STRUCT', fields: columns }, { quoteFields: false });
  const n = columns.length;
  // What parse read: the object's entries by column, or (not an object) the whole document.
  let row: unknown[] = [];
  let other: JsonValue | undefined;
  return {
    parse(text) {
      row = new Array(n);
      other = undefined;
      const status = parseJsonFields(text, table, row as (JsonValue | undefined)[]);
      if (status === NOT_AN_OBJECT) other = parseJson(text);
      else if (status === FIELDS_UPPER) {
        // An exact key wins over an upper-cased one, wherever it stands.
        const upper = table.upper;
        for (let i = 0; i < n; i++) if (row[i] === undefined && upper[i] !== undefined) row[i] = upper[i];
      }
    },
    read() {
      if (other !== undefined) {
        if (other === null) return null;
        throw invalidConversion(other, required).under('$');
      }
      for (let i = 0; i < n; i++) {
        const raw = row[i] as JsonValue | undefined;
        if (raw === undefined || raw === null) {
          row[i] = null;
          continue;
        }
        try {
          row[i] = readers[i](raw);
        } catch (e) {
          throw atPath(e, paths[i]);
        }
      }
      return row;
    },
  };
}

function compileUnwrappedRowReader(column: SerdeColumn): JsonRowReader {
  const read = compileJsonReader(column.type);
  let node: JsonValue = null;
  return {
    parse(text) {
      node = parseJson(text);
    },
    read() {
      if (node === null) return null;
      let value: unknown;
      try {
        value = read(node);
      } catch (e) {
        throw atPath(e, '$');
      }
      return value === null ? null : [value];
    },
  };
}

function compileWrappedRowWriter(
  columns: readonly SerdeColumn[],
  physical: PhysicalJsonSchema | undefined,
): (row: readonly unknown[]) => string {
  if (physical) return compilePhysicalRowWriter(columns, physical);
  const writers = columns.map((c) => nullable(compileJsonWriter(c.type)));
  const prefixes = columns.map((c, i) => (i === 0 ? '{' : ',') + quoteJson(c.name) + ':');
  const n = columns.length;
  if (n === 0) return () => '{}';
  return (row) => {
    let out = '';
    for (let i = 0; i < n; i++) out += prefixes[i] + writers[i](row[i]);
    return out + '}';
  };
}

// ksqlDB's ConnectSRSchemaDataTranslator: the registered schema's properties in its order,
// matched by exact name; absent ones take their default (or null when optional).
function compilePhysicalRowWriter(
  columns: readonly SerdeColumn[],
  physical: PhysicalJsonSchema,
): (row: readonly unknown[]) => string {
  for (const c of columns) {
    if (!physical.properties.some((p) => p.name === c.name)) {
      throw new SerdeConfigError(`Schema from Schema Registry misses field with name: ${c.name}`);
    }
  }
  const parts = physical.properties.map((p, i) => {
    const index = columns.findIndex((c) => c.name === p.name);
    const prefix = (i === 0 ? '{' : ',') + quoteJson(p.name) + ':';
    if (index >= 0) return { prefix, index, write: nullable(compileJsonWriter(columns[index].type)), constant: '' };
    if (p.defaultJson === undefined && p.required) {
      throw new SerdeConfigError(
        `Missing default value for required field: [${p.name}]. This field appears in JSON_SR schema in Schema Registry`,
      );
    }
    return { prefix, index, write: nullable(() => 'null'), constant: p.defaultJson ?? 'null' };
  });
  if (parts.length === 0) return () => '{}';
  return (row) => {
    let out = '';
    for (const part of parts) out += part.prefix + (part.index >= 0 ? part.write(row[part.index]) : part.constant);
    return out + '}';
  };
}

function compileUnwrappedRowWriter(column: SerdeColumn): (row: readonly unknown[]) => string | null {
  const write = compileJsonWriter(column.type);
  return (row) => {
    const value = row[0];
    return value === null || value === undefined ? null : write(value);
  };
}

function nullable(write: JsonWriter): JsonWriter {
  return (value) => (value === null || value === undefined ? 'null' : write(value));
}

function atPath(e: unknown, prefix: string): CoercionError {
  if (e instanceof CoercionError) return e.under(prefix);
  return new CoercionError((e as Error).message, prefix);
}

/**
 * For each wanted name, the value of the object's entry with exactly that name, else of the
 * entry whose upper-cased name is that name (ksqlDB's case-insensitivity: unquoted
 * identifiers are upper-case); the last entry wins among duplicates. Missing: undefined.
 */
export function compileFieldMatcher(names: readonly string[]): (obj: JsonObject) => (JsonValue | undefined)[] {
  const index = new Map<string, number>();
  names.forEach((name, i) => index.set(name, i));
  const n = names.length;
  return (obj) => {
    const out = new Array<JsonValue | undefined>(n);
    const { keys, values } = obj;
    let found = 0;
    for (let i = 0; i < keys.length; i++) {
      const at = index.get(keys[i]);
      if (at !== undefined) {
        if (out[at] === undefined) found++;
        out[at] = values[i];
      }
    }
    if (found < n) {
      let upper: (JsonValue | undefined)[] | undefined;
      for (let i = 0; i < keys.length; i++) {
        const at = index.get(keys[i].toUpperCase());
        if (at !== undefined && out[at] === undefined) {
          upper ??= new Array<JsonValue | undefined>(n);
          upper[at] = values[i];
        }
      }
      if (upper) for (let i = 0; i < n; i++) if (out[i] === undefined) out[i] = upper[i];
    }
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// Reading values

/** A converter from a non-null JSON value to the SQL value of `type`, by ksqlDB's rules. */
export function compileJsonReader(type: SqlType): JsonReader {
  switch (type.kind) {
    case 'BOOLEAN':
      return (v) => {
        if (typeof v === 'boolean') return v;
        throw invalidConversion(v, 'BOOLEAN');
      };
    case 'INTEGER':
      return (v) => {
        if (typeof v === 'number') return v | 0;
        if (v instanceof JsonNumber) {
          return v.integral ? Number(BigInt.asIntN(32, BigInt(v.text))) : Decimal.parse(v.text).intValue();
        }
        if (typeof v === 'string') return Number(parseJavaLong(v, 32, 'INTEGER'));
        throw invalidConversion(v, 'INTEGER');
      };
    case 'BIGINT':
      return (v) => toLong(v, 'BIGINT');
    case 'DOUBLE':
      return (v) => {
        if (typeof v === 'number') return v;
        if (v instanceof JsonNumber) return Number(v.text);
        if (typeof v === 'string') {
          try {
            return parseDouble(v);
          } catch {
            throw failedStringCoercion('DOUBLE');
          }
        }
        throw invalidConversion(v, 'DOUBLE');
      };
    case 'STRING':
      return (v) => (typeof v === 'string' ? v : processString(v));
    case 'DECIMAL':
      return (v) => readDecimal(v, type);
    case 'BYTES':
      return (v) => {
        if (typeof v === 'string') {
          try {
            return decodeBase64Strict(v);
          } catch {
            throw new CoercionError(`Value is not a valid Base64 encoded string: ${v}`, '');
          }
        }
        throw invalidConversion(v, 'BYTES');
      };
    case 'DATE':
      return (v) => (typeof v === 'number' ? v | 0 : Number(BigInt.asIntN(32, toLong(v, 'DATE'))));
    case 'TIME':
      return (v) => {
        const ms = toLong(v, 'TIME');
        if (ms < 0n || ms > 86_399_999n) {
          throw new CoercionError(
            'Time values must use number of milliseconds greater than 0 and less than 86400000.',
            '',
          );
        }
        return Number(ms);
      };
    case 'TIMESTAMP':
      return (v) => (typeof v === 'number' ? v : Number(toLong(v, 'TIMESTAMP')));
    case 'ARRAY': {
      const read = compileJsonReader(type.item);
      const required = formatType(type, { quoteFields: false });
      return (v) => {
        if (!Array.isArray(v)) throw invalidConversion(v, required);
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          if (item === null) {
            out[i] = null;
            continue;
          }
          try {
            out[i] = read(item);
          } catch (e) {
            throw atPath(e, `[${i}]`);
          }
        }
        return out;
      };
    }
    case 'MAP': {
      const readKey = compileJsonReader(type.key);
      const readValue = compileJsonReader(type.value);
      const required = formatType(type, { quoteFields: false });
      return (v) => {
        if (!(v instanceof JsonObject)) throw invalidConversion(v, required);
        const out = new Map<unknown, unknown>();
        for (let i = 0; i < v.keys.length; i++) {
          const k = v.keys[i];
          let key: unknown;
          try {
            key = readKey(k);
          } catch (e) {
            throw atPath(e, `.${k}.key`);
          }
          const raw = v.values[i];
          try {
            out.set(key, raw === null ? null : readValue(raw));
          } catch (e) {
            throw atPath(e, `.${k}.value`);
          }
        }
        return out;
      };
    }
    case 'STRUCT': {
      const names = type.fields.map((f) => f.name);
      const match = compileFieldMatcher(names);
      const readers = type.fields.map((f) => compileJsonReader(f.type));
      const required = formatType(type, { quoteFields: false });
      return (v) => {
        if (!(v instanceof JsonObject)) throw invalidConversion(v, required);
        const raw = match(v);
        const out: Struct = {};
        for (let i = 0; i < names.length; i++) {
          const r = raw[i];
          if (r === undefined || r === null) {
            out[names[i]] = null;
            continue;
          }
          try {
            out[names[i]] = readers[i](r);
          } catch (e) {
            throw atPath(e, `.${names[i]}`);
          }
        }
        return out;
      };
    }
    default: {
      const unreachable: never = type;
      throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
    }
  }
}

function readDecimal(v: JsonValue, type: DecimalType): Decimal {
  let d: Decimal;
  if (typeof v === 'number') d = Decimal.fromInteger(v);
  else if (v instanceof JsonNumber) d = Decimal.parse(v.text);
  else if (typeof v === 'string') {
    try {
      d = Decimal.parse(v);
    } catch (e) {
      throw new CoercionError((e as Error).message, '');
    }
  } else throw invalidConversion(v, formatType(type));
  try {
    return ensureFit(d, type);
  } catch (e) {
    throw new CoercionError((e as Error).message, '');
  }
}

// Jackson's asLong of a numeric node (truncating, low 64 bits) or Long.parseLong of text.
function toLong(v: JsonValue, typeName: string): bigint {
  if (typeof v === 'number') return BigInt(v);
  if (v instanceof JsonNumber) {
    return v.integral ? BigInt.asIntN(64, BigInt(v.text)) : Decimal.parse(v.text).longValue();
  }
  if (typeof v === 'string') return parseJavaLong(v, 64, typeName);
  throw invalidConversion(v, typeName);
}

/** Integer.parseInt / Long.parseLong: optional sign and ASCII digits, no whitespace, in range. */
function parseJavaLong(text: string, bits: 32 | 64, typeName: string): bigint {
  if (/^[+-]?\d+$/.test(text)) {
    const value = BigInt(text);
    if (BigInt.asIntN(bits, value) === value) return value;
  }
  throw failedStringCoercion(typeName);
}

// ksqlDB's processString: a scalar's text, an object written back as JSON, an array as
// "[a, b]" of its elements' texts.
function processString(v: JsonValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (v instanceof JsonNumber) return jsonNumberText(v);
  if (Array.isArray(v)) return '[' + v.map(processString).join(', ') + ']';
  return writeJsonValue(v);
}

function invalidConversion(v: JsonValue, required: string): CoercionError {
  return new CoercionError(`Can't convert type. sourceType: ${nodeType(v)}, requiredType: ${required}`, '');
}

function failedStringCoercion(typeName: string): CoercionError {
  return new CoercionError(`Can't coerce string to type. targetType: ${typeName}`, '');
}

/** The Jackson node class ksqlDB names in its messages. */
function nodeType(v: JsonValue): string {
  if (v === null) return 'NullNode';
  switch (typeof v) {
    case 'string':
      return 'TextNode';
    case 'boolean':
      return 'BooleanNode';
    case 'number':
      return v === (v | 0) ? 'IntNode' : 'LongNode';
    default:
      break;
  }
  if (v instanceof JsonNumber) {
    if (!v.integral) return 'DecimalNode';
    const b = BigInt(v.text);
    return BigInt.asIntN(64, b) === b ? 'LongNode' : 'BigIntegerNode';
  }
  return Array.isArray(v) ? 'ArrayNode' : 'ObjectNode';
}

// ---------------------------------------------------------------------------------------------
// Writing values

/** A writer of a non-null SQL value of `type` as JSON text, as ksqlDB writes it. */
export function compileJsonWriter(type: SqlType): JsonWriter {
  switch (type.kind) {
    case 'BOOLEAN':
      return (v) => (v === true ? 'true' : v === false ? 'false' : badValue(v, type));
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      return (v) => (typeof v === 'number' ? String(v | 0) : badValue(v, type));
    case 'BIGINT':
      return (v) => (typeof v === 'bigint' || typeof v === 'number' ? String(v) : badValue(v, type));
    case 'TIMESTAMP':
      return (v) => (typeof v === 'number' ? String(Math.trunc(v)) : badValue(v, type));
    case 'DOUBLE':
      return (v) => (typeof v === 'number' ? formatJsonDouble(v) : badValue(v, type));
    case 'DECIMAL':
      return (v) => (v instanceof Decimal ? formatJsonDecimal(v) : badValue(v, type));
    case 'STRING':
      return (v) => (typeof v === 'string' ? quoteJson(v) : badValue(v, type));
    case 'BYTES':
      return (v) => (v instanceof Uint8Array ? '"' + encodeBase64(v) + '"' : badValue(v, type));
    case 'ARRAY': {
      const write = nullable(compileJsonWriter(type.item));
      return (v) => {
        if (!Array.isArray(v)) return badValue(v, type);
        let out = '[';
        for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + write(v[i]);
        return out + ']';
      };
    }
    case 'MAP': {
      const write = nullable(compileJsonWriter(type.value));
      return (v) => {
        if (!(v instanceof Map)) return badValue(v, type);
        let out = '{';
        let first = true;
        for (const [k, value] of v) {
          out += (first ? '' : ',') + quoteJson(String(k)) + ':' + write(value);
          first = false;
        }
        return out + '}';
      };
    }
    case 'STRUCT': {
      const names = type.fields.map((f) => f.name);
      const prefixes = type.fields.map((f, i) => (i === 0 ? '' : ',') + quoteJson(f.name) + ':');
      const writers = type.fields.map((f) => nullable(compileJsonWriter(f.type)));
      return (v) => {
        if (v === null || typeof v !== 'object') return badValue(v, type);
        const s = v as Struct;
        let out = '{';
        for (let i = 0; i < names.length; i++) out += prefixes[i] + writers[i](s[names[i]]);
        return out + '}';
      };
    }
    default: {
      const unreachable: never = type;
      throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
    }
  }
}

function badValue(v: unknown, type: SqlType): never {
  const shown = typeof v === 'bigint' ? `${v}n` : typeof v === 'object' ? Object.prototype.toString.call(v) : String(v);
  throw new Error(`Value ${shown} is not a valid ${formatType(type)}`);
}
