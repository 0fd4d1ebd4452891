/**
 * SQL types <-> JSON Schema, for JSON_SR: the schema ksqlDB registers for a sink (Confluent's
 * JsonSchemaData from ksqlDB's Connect schema: every column optional as
 * `oneOf: [null, T]`, `connect.index` on properties, `connect.type` on numbers and bytes,
 * Connect logical types by `title`), and the SQL columns ksqlDB infers from a registered one.
 */
import { decimal, type SqlType, type StructField } from '../schema/index.js';
import { SerdeConfigError } from './errors.js';
import type { PhysicalJsonSchema } from './json.js';
import type { SerdeColumn } from './types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The JSON schema ksqlDB registers: the columns' object (wrapped), or the one column (optional). */
export function jsonSchemaFor(columns: readonly SerdeColumn[], wrapped: boolean): Json {
  if (wrapped || columns.length !== 1) return objectSchema(columns);
  return optional(typeSchema(columns[0].type));
}

function optional(schema: Json): { [key: string]: Json } {
  return { oneOf: [{ type: 'null' }, schema] };
}

function objectSchema(fields: readonly { name: string; type: SqlType }[]): { [key: string]: Json } {
  const properties: { [key: string]: Json } = {};
  fields.forEach((f, i) => {
    properties[f.name] = { 'connect.index': i, ...optional(typeSchema(f.type)) };
  });
  return { type: 'object', properties };
}

function typeSchema(type: SqlType): Json {
  switch (type.kind) {
    case 'BOOLEAN':
      return { type: 'boolean' };
    case 'INTEGER':
      return { type: 'integer', 'connect.type': 'int32' };
    case 'BIGINT':
      return { type: 'integer', 'connect.type': 'int64' };
    case 'DOUBLE':
      return { type: 'number', 'connect.type': 'float64' };
    case 'STRING':
      return { type: 'string' };
    case 'BYTES':
      return { type: 'string', 'connect.type': 'bytes' };
    case 'DECIMAL':
      return {
        type: 'number',
        title: 'org.apache.kafka.connect.data.Decimal',
        'connect.version': 1,
        'connect.type': 'bytes',
        'connect.parameters': { scale: String(type.scale), 'connect.decimal.precision': String(type.precision) },
      };
    case 'DATE':
      return { type: 'integer', title: 'org.apache.kafka.connect.data.Date', 'connect.version': 1, 'connect.type': 'int32' };
    case 'TIME':
      return { type: 'integer', title: 'org.apache.kafka.connect.data.Time', 'connect.version': 1, 'connect.type': 'int32' };
    case 'TIMESTAMP':
      return {
        type: 'integer',
        title: 'org.apache.kafka.connect.data.Timestamp',
        'connect.version': 1,
        'connect.type': 'int64',
      };
    case 'ARRAY':
      return { type: 'array', items: optional(typeSchema(type.item)) };
    case 'MAP':
      if (type.key.kind !== 'STRING') throw new SerdeConfigError('JSON only supports MAP types with STRING keys');
      return { type: 'object', additionalProperties: optional(typeSchema(type.value)), 'connect.type': 'map' };
    case 'STRUCT':
      return objectSchema(type.fields);
    default: {
      const unreachable: never = type;
      throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading registered JSON schemas

type JsonSchemaNode = { [key: string]: unknown };

class UnsupportedJsonType extends Error {}

/**
 * The SQL type ksqlDB infers for a JSON schema: object fields upper-cased, except with
 * `originalNames` (a schema given by id keeps them).
 */
export function sqlTypeOfJsonSchema(schema: unknown, originalNames = false): SqlType {
  const root = asNode(schema);
  try {
    return toSql(root, root, originalNames ? (n) => n : (n) => n.toUpperCase());
  } catch (e) {
    if (e instanceof UnsupportedJsonType) throw new SerdeConfigError(`Unsupported type at root of schema: ${e.message}`);
    throw e;
  }
}

function asNode(schema: unknown): JsonSchemaNode {
  if (typeof schema === 'string') return asNode(JSON.parse(schema));
  if (schema === true || schema === null || schema === undefined) return {};
  if (typeof schema !== 'object') throw new UnsupportedJsonType(`Invalid JSON schema: ${JSON.stringify(schema)}`);
  return schema as JsonSchemaNode;
}

/** The non-null member of `oneOf: [null, T]` / `type: [T, "null"]`, or the node itself. */
function unwrapNullable(node: JsonSchemaNode): { node: JsonSchemaNode; nullable: boolean } {
  const oneOf = (node.oneOf ?? node.anyOf) as unknown[] | undefined;
  if (Array.isArray(oneOf)) {
    const members = oneOf.map(asNode);
    const nonNull = members.filter((m) => m.type !== 'null');
    if (nonNull.length === 1) return { node: nonNull[0], nullable: nonNull.length < members.length };
    throw new UnsupportedJsonType('Unsupported type: oneOf with more than one non-null member');
  }
  if (Array.isArray(node.type)) {
    const types = (node.type as string[]).filter((t) => t !== 'null');
    if (types.length === 1) return { node: { ...node, type: types[0] }, nullable: types.length < node.type.length };
  }
  return { node, nullable: false };
}

function resolveRef(node: JsonSchemaNode, root: JsonSchemaNode): JsonSchemaNode {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  let target: unknown = root;
  for (const part of ref.slice(2).split('/')) target = (target as JsonSchemaNode | undefined)?.[part];
  if (target === undefined) throw new UnsupportedJsonType(`Unresolved reference: ${ref}`);
  return asNode(target);
}

function toSql(raw: JsonSchemaNode, root: JsonSchemaNode, rename: (name: string) => string): SqlType {
  const { node } = unwrapNullable(resolveRef(raw, root));
  const title = typeof node.title === 'string' ? node.title : undefined;
  const connectType = node['connect.type'];
  switch (node.type) {
    case 'boolean':
      return { kind: 'BOOLEAN' };
    case 'integer':
      if (title === 'org.apache.kafka.connect.data.Date') return { kind: 'DATE' };
      if (title === 'org.apache.kafka.connect.data.Time') return { kind: 'TIME' };
      if (title === 'org.apache.kafka.connect.data.Timestamp') return { kind: 'TIMESTAMP' };
      return connectType === 'int8' || connectType === 'int16' || connectType === 'int32'
        ? { kind: 'INTEGER' }
        : { kind: 'BIGINT' };
    case 'number':
      if (title === 'org.apache.kafka.connect.data.Decimal') {
        const params = (node['connect.parameters'] ?? {}) as Record<string, string>;
        const scale = Number(params.scale ?? 0);
        const precision = Number(params['connect.decimal.precision'] ?? 64);
        return decimal(precision, scale);
      }
      return { kind: 'DOUBLE' };
    case 'string':
      return connectType === 'bytes' ? { kind: 'BYTES' } : { kind: 'STRING' };
    case 'array': {
      const items = asNode(node.items);
      if (connectType === 'map') {
        const props = (resolveRef(unwrapNullable(items).node, root).properties ?? {}) as Record<string, unknown>;
        return { kind: 'MAP', key: { kind: 'STRING' }, value: toSql(asNode(props.value), root, rename) };
      }
      return { kind: 'ARRAY', item: toSql(items, root, rename) };
    }
    case 'object':
    case undefined: {
      const properties = node.properties as Record<string, unknown> | undefined;
      if (!properties && typeof node.additionalProperties === 'object' && node.additionalProperties !== null) {
        return { kind: 'MAP', key: { kind: 'STRING' }, value: toSql(asNode(node.additionalProperties), root, rename) };
      }
      if (node.type === undefined && !properties) throw new UnsupportedJsonType('Unsupported type: schema without a type');
      const entries = Object.entries(properties ?? {}).map(([name, s], i) => {
        const index = asNode(s)['connect.index'];
        return { name, schema: asNode(s), order: typeof index === 'number' ? index : i };
      });
      entries.sort((a, b) => a.order - b.order);
      const fields: StructField[] = [];
      for (const e of entries) {
        try {
          fields.push({ name: rename(e.name), type: toSql(e.schema, root, rename) });
        } catch (err) {
          if (!(err instanceof UnsupportedJsonType)) throw err;
        }
      }
      return { kind: 'STRUCT', fields };
    }
    default:
      throw new UnsupportedJsonType(`Unsupported type: ${String(node.type)}`);
  }
}

/** Top-level property order, defaults and optionality of a registered object schema (VALUE_SCHEMA_ID). */
export function physicalJsonSchema(schema: string): PhysicalJsonSchema {
  const root = unwrapNullable(asNode(schema)).node;
  const required = new Set(Array.isArray(root.required) ? (root.required as string[]) : []);
  const entries = Object.entries((root.properties ?? {}) as Record<string, unknown>).map(([name, s], i) => {
    const node = asNode(s);
    const index = node['connect.index'];
    const nullable = unwrapNullable(node).nullable;
    return {
      name,
      order: typeof index === 'number' ? index : i,
      required: required.has(name) && !nullable,
      ...(Object.prototype.hasOwnProperty.call(node, 'default') ? { defaultJson: JSON.stringify(node.default) } : {}),
    };
  });
  entries.sort((a, b) => a.order - b.order);
  return { properties: entries.map(({ order: _order, ...rest }) => rest) };
}
