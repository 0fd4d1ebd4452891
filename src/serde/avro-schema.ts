/**
 * SQL types <-> Avro schemas, as ksqlDB maps them.
 *
 * Writing (what a sink registers): ksqlDB's AvroSchemas makes the Connect schema
 * Avro-compatible (root record named by fullSchemaName, nested records named
 * `<parent>_<FIELD>`, map value records `<parent>_MapValue`, '.' in field names to '_'),
 * then Confluent's AvroData (connect.meta.data on) turns it into Avro: every field an
 * optional union ["null", T] with default null, logical types with their connect.* props,
 * and MAPs — whose keys are optional in ksqlDB — as arrays of key/value records marked
 * `connect.internal.type: MapEntry`.
 *
 * Reading (schema inference): AvroData's Avro -> Connect rules, then ksqlDB's
 * ConnectKsqlSchemaTranslator: enums as STRING, float as DOUBLE, fixed as BYTES,
 * ["null", T] as T, other unions as a STRUCT of one field per branch, field names upper-cased,
 * fields of unsupported types skipped.
 */
import { decimal, type SqlType, type StructField } from '../schema/index.js';
import { SerdeConfigError } from './errors.js';
import type { SerdeColumn } from './types.js';

export const AVRO_SCHEMA_NAMESPACE = 'io.confluent.ksql.avro_schemas';
export const DEFAULT_AVRO_SCHEMA_FULL_NAME = `${AVRO_SCHEMA_NAMESPACE}.KsqlDataSourceSchema`;
/** AvroData's precision for a decimal schema without one. */
export const DEFAULT_DECIMAL_PRECISION = 64;

/**
 * The key schema name ksqlDB gives a source's key (AvroFormat.getKeySchemaName):
 * "MY_OUTPUT" -> "io.confluent.ksql.avro_schemas.MyOutputKey". The engine passes it as the
 * key format's fullSchemaName.
 */
export function avroKeySchemaFullName(sourceName: string): string {
  const camel = sourceName
    .split('_')
    .map((word) => (word.length === 0 ? '' : word[0].toUpperCase() + word.slice(1).toLowerCase()))
    .join('');
  return `${AVRO_SCHEMA_NAMESPACE}.${camel}Key`;
}

// ---------------------------------------------------------------------------------------------
// SQL -> Avro

export interface AvroSchemaOptions {
  /** Full name of the root record (or root named type). */
  readonly fullName: string;
  /** Columns inside a record; false writes a single column bare. */
  readonly wrapped: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The Avro schema (as JSON) ksqlDB registers for these columns. Throws SerdeConfigError with
 * ksqlDB's messages for what Avro cannot carry (non-STRING map keys, illegal names).
 */
export function avroSchemaFor(columns: readonly SerdeColumn[], options: AvroSchemaOptions): Json {
  const fullName = options.fullName.trim();
  if (fullName === '') {
    throw new SerdeConfigError(`fullSchemaName cannot be empty. Format configuration: {fullSchemaName=${fullName}}`);
  }
  const generator = new AvroGenerator();
  try {
    if (options.wrapped || columns.length !== 1) {
      return generator.record(columns, fullName, null);
    }
    return generator.type(columns[0].type, [fullName], null);
  } catch (e) {
    if (e instanceof AvroNameError) throw new SerdeConfigError(`Schema is not compatible with Avro: ${e.message}`);
    throw e;
  }
}

class AvroNameError extends Error {}

const DECIMAL_LOGICAL = 'org.apache.kafka.connect.data.Decimal';

class AvroGenerator {
  private readonly defined = new Set<string>();

  record(fields: readonly { name: string; type: SqlType }[], fullName: string, enclosingNs: string | null): Json {
    if (this.defined.has(fullName)) return relativeName(fullName, enclosingNs);
    this.defined.add(fullName);
    const [ns, simple] = splitName(fullName);
    validateName(simple);
    const out: { [key: string]: Json } = { type: 'record', name: simple };
    if (ns !== enclosingNs) out.namespace = ns ?? '';
    out.fields = fields.map((f) => {
      const name = f.name.replaceAll('.', '_');
      validateName(name);
      return {
        name,
        type: ['null', this.type(f.type, [fullName, f.name], ns)],
        default: null,
      };
    });
    out['connect.name'] = fullName;
    return out;
  }

  /** The Avro type of a (non-null) SQL type; `context` names the records it contains. */
  type(type: SqlType, context: readonly string[], enclosingNs: string | null): Json {
    const contextName = context.join('_');
    switch (type.kind) {
      case 'BOOLEAN':
        return 'boolean';
      case 'INTEGER':
        return 'int';
      case 'BIGINT':
        return 'long';
      case 'DOUBLE':
        return 'double';
      case 'STRING':
        return 'string';
      case 'BYTES':
        return 'bytes';
      case 'DECIMAL':
        return {
          type: 'bytes',
          scale: type.scale,
          precision: type.precision,
          'connect.version': 1,
          'connect.parameters': { scale: String(type.scale), 'connect.decimal.precision': String(type.precision) },
          'connect.name': DECIMAL_LOGICAL,
          logicalType: 'decimal',
        };
      case 'DATE':
        return connectLogical('int', 'org.apache.kafka.connect.data.Date', 'date');
      case 'TIME':
        return connectLogical('int', 'org.apache.kafka.connect.data.Time', 'time-millis');
      case 'TIMESTAMP':
        return connectLogical('long', 'org.apache.kafka.connect.data.Timestamp', 'timestamp-millis');
      case 'ARRAY':
        return { type: 'array', items: ['null', this.type(type.item, context, enclosingNs)] };
      case 'MAP': {
        if (type.key.kind !== 'STRING') throw new SerdeConfigError('Avro only supports MAPs with STRING keys');
        const entryName = contextName;
        const [ns] = splitName(entryName);
        let items: Json;
        if (this.defined.has(entryName)) {
          items = relativeName(entryName, enclosingNs);
        } else {
          this.defined.add(entryName);
          const [, simple] = splitName(entryName);
          validateName(simple);
          const entry: { [key: string]: Json } = { type: 'record', name: simple };
          if (ns !== enclosingNs) entry.namespace = ns ?? '';
          entry.fields = [
            { name: 'key', type: ['null', 'string'], default: null },
            { name: 'value', type: ['null', this.type(type.value, [...context, 'MapValue'], ns)], default: null },
          ];
          entry['connect.internal.type'] = 'MapEntry';
          items = entry;
        }
        return { type: 'array', items, 'connect.name': entryName };
      }
      case 'STRUCT':
        return this.record(type.fields, contextName, enclosingNs);
      default: {
        const unreachable: never = type;
        throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
      }
    }
  }
}

function connectLogical(base: string, connectName: string, logicalType: string): Json {
  return { type: base, 'connect.version': 1, 'connect.name': connectName, logicalType };
}

function splitName(fullName: string): [string | null, string] {
  const dot = fullName.lastIndexOf('.');
  return dot < 0 ? [null, fullName] : [fullName.slice(0, dot), fullName.slice(dot + 1)];
}

function relativeName(fullName: string, enclosingNs: string | null): string {
  const [ns, simple] = splitName(fullName);
  return ns === enclosingNs ? simple : fullName;
}

/** Avro's name rule (Schema.validateName), with its messages. */
function validateName(name: string): void {
  if (name.length === 0) throw new AvroNameError('Empty name');
  if (!/^[\p{L}_]/u.test(name)) throw new AvroNameError(`Illegal initial character: ${name}`);
  if (!/^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(name)) throw new AvroNameError(`Illegal character in: ${name}`);
}

/** Throws ksqlDB's SerdeConfigError when the columns cannot be written as Avro. */
export function validateAvroColumns(columns: readonly SerdeColumn[], options: AvroSchemaOptions): void {
  avroSchemaFor(columns, options);
}

// ---------------------------------------------------------------------------------------------
// Parsed Avro schemas

export type AvroNode =
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'int'; readonly logical?: string }
  | { readonly kind: 'long'; readonly logical?: string }
  | { readonly kind: 'float' }
  | { readonly kind: 'double' }
  | { readonly kind: 'string' }
  | { readonly kind: 'bytes'; readonly decimal?: AvroDecimal }
  | { readonly kind: 'fixed'; readonly name: string; readonly size: number; readonly decimal?: AvroDecimal }
  | { readonly kind: 'enum'; readonly name: string; readonly symbols: readonly string[] }
  | { readonly kind: 'array'; readonly items: AvroNode }
  | { readonly kind: 'map'; readonly values: AvroNode }
  | AvroRecord
  | { readonly kind: 'union'; readonly branches: readonly AvroNode[] };

export interface AvroRecord {
  readonly kind: 'record';
  readonly name: string;
  readonly fields: AvroField[];
  /** connect.internal.type MapEntry, or io.confluent.connect.avro.MapEntry: a map entry. */
  readonly mapEntry: boolean;
}

export interface AvroField {
  readonly name: string;
  readonly type: AvroNode;
  readonly hasDefault: boolean;
  readonly default?: unknown;
}

export interface AvroDecimal {
  readonly precision: number;
  readonly scale: number;
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

/** Parse Avro schema JSON (text or parsed) into nodes; named types may be referenced again (and recursively). */
export function parseAvroSchema(schema: unknown): AvroNode {
  const json = typeof schema === 'string' ? parseSchemaText(schema) : schema;
  const named = new Map<string, AvroNode>();
  return parseNode(json, null, named);
}

function parseSchemaText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A bare primitive name, unquoted, is not JSON but is sometimes stored as such.
    if (PRIMITIVES.has(text.trim())) return text.trim();
    throw new SerdeConfigError(`Invalid Avro schema: ${text}`);
  }
}

function qualify(name: string, namespace: string | null): string {
  if (name.includes('.') || !namespace) return name;
  return `${namespace}.${name}`;
}

function parseNode(json: unknown, namespace: string | null, named: Map<string, AvroNode>): AvroNode {
  if (typeof json === 'string') {
    if (PRIMITIVES.has(json)) return { kind: json } as AvroNode;
    const found = named.get(qualify(json, namespace)) ?? named.get(json);
    if (!found) throw new SerdeConfigError(`Undefined Avro type name: ${json}`);
    return found;
  }
  if (Array.isArray(json)) {
    return { kind: 'union', branches: json.map((b) => parseNode(b, namespace, named)) };
  }
  if (json === null || typeof json !== 'object') throw new SerdeConfigError(`Invalid Avro schema: ${JSON.stringify(json)}`);
  const obj = json as Record<string, unknown>;
  const type = obj.type;
  const logicalType = typeof obj.logicalType === 'string' ? obj.logicalType : undefined;
  if (Array.isArray(type) || (typeof type === 'object' && type !== null)) {
    return parseNode(type, namespace, named);
  }
  switch (type) {
    case 'null':
    case 'boolean':
    case 'float':
    case 'double':
    case 'string':
      return { kind: type };
    case 'int':
      return logicalType === 'date' || logicalType === 'time-millis' ? { kind: 'int', logical: logicalType } : { kind: 'int' };
    case 'long':
      return logicalType ? { kind: 'long', logical: logicalType } : { kind: 'long' };
    case 'bytes':
      return logicalType === 'decimal' ? { kind: 'bytes', decimal: decimalOf(obj) } : { kind: 'bytes' };
    case 'fixed': {
      const fullName = qualify(String(obj.name), typeof obj.namespace === 'string' ? obj.namespace : namespace);
      const node: AvroNode = {
        kind: 'fixed',
        name: fullName,
        size: Number(obj.size),
        ...(logicalType === 'decimal' ? { decimal: decimalOf(obj) } : {}),
      };
      named.set(fullName, node);
      return node;
    }
    case 'enum': {
      const fullName = qualify(String(obj.name), typeof obj.namespace === 'string' ? obj.namespace : namespace);
      const node: AvroNode = { kind: 'enum', name: fullName, symbols: (obj.symbols as string[]) ?? [] };
      named.set(fullName, node);
      return node;
    }
    case 'array':
      return { kind: 'array', items: parseNode(obj.items, namespace, named) };
    case 'map':
      return { kind: 'map', values: parseNode(obj.values, namespace, named) };
    case 'record':
    case 'error': {
      const ns = typeof obj.namespace === 'string' ? obj.namespace || null : namespace;
      const fullName = qualify(String(obj.name), ns);
      const recordNs = fullName.includes('.') ? fullName.slice(0, fullName.lastIndexOf('.')) : null;
      const record: AvroRecord = {
        kind: 'record',
        name: fullName,
        fields: [],
        mapEntry: obj['connect.internal.type'] === 'MapEntry' || fullName === 'io.confluent.connect.avro.MapEntry',
      };
      named.set(fullName, record);
      for (const f of (obj.fields as Record<string, unknown>[]) ?? []) {
        record.fields.push({
          name: String(f.name),
          type: parseNode(f.type, recordNs, named),
          hasDefault: Object.prototype.hasOwnProperty.call(f, 'default'),
          default: f.default,
        });
      }
      return record;
    }
    default:
      if (typeof type === 'string') return parseNode(type, namespace, named);
      throw new SerdeConfigError(`Invalid Avro schema: ${JSON.stringify(json)}`);
  }
}

function decimalOf(obj: Record<string, unknown>): AvroDecimal {
  const precision = typeof obj.precision === 'number' ? obj.precision : DEFAULT_DECIMAL_PRECISION;
  const scale = typeof obj.scale === 'number' ? obj.scale : 0;
  return { precision, scale };
}

/** ["null", T] (either order) -> T; anything else -> undefined. */
export function optionalBranch(node: AvroNode): AvroNode | undefined {
  if (node.kind !== 'union' || node.branches.length !== 2) return undefined;
  const [a, b] = node.branches;
  if (a.kind === 'null' && b.kind !== 'null') return b;
  if (b.kind === 'null' && a.kind !== 'null') return a;
  return undefined;
}

/** A map encoded as an array of key/value records. */
export function mapEntryOf(node: AvroNode): AvroRecord | undefined {
  if (node.kind !== 'array' || node.items.kind !== 'record' || !node.items.mapEntry) return undefined;
  return node.items;
}

/** The Connect field name of a union branch (AvroData.unionMemberFieldName). */
export function unionBranchName(node: AvroNode): string {
  switch (node.kind) {
    case 'record':
    case 'enum':
    case 'fixed': {
      const dot = node.name.lastIndexOf('.');
      return dot < 0 ? node.name : node.name.slice(dot + 1);
    }
    default:
      return node.kind;
  }
}

/** Connect's type name of an Avro node, for ksqlDB's "Cannot deserialize type X" messages. */
export function connectTypeName(node: AvroNode): string {
  switch (node.kind) {
    case 'int':
      return 'int32';
    case 'long':
      return 'int64';
    case 'float':
      return 'float32';
    case 'double':
      return 'float64';
    case 'enum':
    case 'string':
      return 'string';
    case 'fixed':
    case 'bytes':
      return 'bytes';
    case 'array':
      return mapEntryOf(node) ? 'map' : 'array';
    case 'record':
      return 'struct';
    case 'union':
      return optionalBranch(node) ? connectTypeName(optionalBranch(node)!) : 'struct';
    default:
      return node.kind;
  }
}

// ---------------------------------------------------------------------------------------------
// Avro -> SQL (schema inference)

class UnsupportedAvroType extends Error {}

/**
 * The SQL type ksqlDB infers for an Avro schema; throws SerdeConfigError when it has none.
 * Field names are upper-cased, except with `originalNames` (a schema given by id keeps them).
 */
export function sqlTypeOfAvro(node: AvroNode, originalNames = false): SqlType {
  try {
    return toSql(node, new Set(), originalNames ? (n) => n : (n) => n.toUpperCase());
  } catch (e) {
    if (e instanceof UnsupportedAvroType) {
      throw new SerdeConfigError(`Unsupported type at root of schema: ${e.message}`);
    }
    throw e;
  }
}

function toSql(node: AvroNode, visiting: Set<AvroNode>, rename: (name: string) => string): SqlType {
  switch (node.kind) {
    case 'null':
      throw new UnsupportedAvroType('Unsupported type: null');
    case 'boolean':
      return { kind: 'BOOLEAN' };
    case 'int':
      if (node.logical === 'date') return { kind: 'DATE' };
      if (node.logical === 'time-millis') return { kind: 'TIME' };
      return { kind: 'INTEGER' };
    case 'long':
      return node.logical === 'timestamp-millis' ? { kind: 'TIMESTAMP' } : { kind: 'BIGINT' };
    case 'float':
    case 'double':
      return { kind: 'DOUBLE' };
    case 'string':
    case 'enum':
      return { kind: 'STRING' };
    case 'bytes':
    case 'fixed':
      return node.decimal ? decimal(node.decimal.precision, node.decimal.scale) : { kind: 'BYTES' };
    case 'array': {
      const entry = mapEntryOf(node);
      if (entry) {
        const key = entry.fields.find((f) => f.name === 'key');
        const value = entry.fields.find((f) => f.name === 'value');
        if (entry.fields.length !== 2 || !key || !value) {
          throw new UnsupportedAvroType(
            'Found map encoded as array of key-value pairs, but array elements do not match the expected format.',
          );
        }
        const keyType = toSql(optionalBranch(key.type) ?? key.type, visiting, rename);
        if (!['INTEGER', 'BIGINT', 'BOOLEAN', 'STRING'].includes(keyType.kind)) {
          throw new UnsupportedAvroType(`Unsupported type for map key: ${keyType.kind}`);
        }
        return { kind: 'MAP', key: { kind: 'STRING' }, value: toSql(value.type, visiting, rename) };
      }
      return { kind: 'ARRAY', item: toSql(node.items, visiting, rename) };
    }
    case 'map':
      return { kind: 'MAP', key: { kind: 'STRING' }, value: toSql(node.values, visiting, rename) };
    case 'record':
      return structOf(
        node.fields.map((f) => [f.name, f.type] as const),
        node,
        visiting,
        rename,
      );
    case 'union': {
      const optional = optionalBranch(node);
      if (optional) return toSql(optional, visiting, rename);
      return structOf(
        node.branches.filter((b) => b.kind !== 'null').map((b) => [unionBranchName(b), b] as const),
        node,
        visiting,
        rename,
      );
    }
    default: {
      const unreachable: never = node;
      throw new Error(`Unknown Avro node ${JSON.stringify(unreachable)}`);
    }
  }
}

function structOf(
  members: readonly (readonly [string, AvroNode])[],
  owner: AvroNode,
  visiting: Set<AvroNode>,
  rename: (name: string) => string,
): SqlType {
  if (visiting.has(owner)) throw new UnsupportedAvroType('Recursive schemas are not supported');
  visiting.add(owner);
  const fields: StructField[] = [];
  for (const [name, type] of members) {
    try {
      fields.push({ name: rename(name), type: toSql(type, visiting, rename) });
    } catch (e) {
      // ksqlDB logs and skips fields of types it cannot represent.
      if (!(e instanceof UnsupportedAvroType)) throw e;
    }
  }
  visiting.delete(owner);
  return { kind: 'STRUCT', fields };
}
