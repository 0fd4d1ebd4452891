/**
 * Protobuf schemas for PROTOBUF / PROTOBUF_NOSR: a reader of .proto text (the proto2/proto3
 * subset schema registries hold), name resolution with the well-known types Confluent uses,
 * the SQL types ksqlDB infers from a message (Confluent's ProtobufData + ksqlDB's
 * translator), and the .proto text ksqlDB registers for columns (ProtobufData.fromConnectSchema
 * printed the way Square Wire prints it).
 */
import { decimal, type SqlType, type StructField } from '../schema/index.js';
import { SerdeConfigError } from './errors.js';
import type { SerdeColumn } from './types.js';

// ---------------------------------------------------------------------------------------------
// Model

export type ProtoScalar =
  | 'double'
  | 'float'
  | 'int32'
  | 'int64'
  | 'uint32'
  | 'uint64'
  | 'sint32'
  | 'sint64'
  | 'fixed32'
  | 'fixed64'
  | 'sfixed32'
  | 'sfixed64'
  | 'bool'
  | 'string'
  | 'bytes';

const SCALARS = new Set<string>([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

export interface ProtoEnum {
  readonly kind: 'enum';
  readonly name: string;
  readonly fullName: string;
  readonly values: readonly { readonly name: string; readonly number: number }[];
}

export interface ProtoMessage {
  readonly kind: 'message';
  readonly name: string;
  readonly fullName: string;
  readonly fields: ProtoField[];
  readonly messages: ProtoMessage[];
  readonly enums: ProtoEnum[];
  /** A synthetic map-entry message (key = 1, value = 2). */
  readonly mapEntry: boolean;
}

export type ProtoFieldType =
  | { readonly kind: 'scalar'; readonly scalar: ProtoScalar }
  | ProtoEnum
  | ProtoMessage;

export interface ProtoField {
  readonly name: string;
  readonly number: number;
  readonly repeated: boolean;
  /** Explicit presence: proto2 optional/required, proto3 `optional`, a message, or a oneof member. */
  readonly presence: boolean;
  readonly typeName: string;
  readonly oneof?: string;
  /** Params of a `(confluent.field_meta)` option (decimal precision / scale). */
  readonly params: Readonly<Record<string, string>>;
  /** Set by resolution. */
  type?: ProtoFieldType;
  /** Set by resolution: packed encoding for repeated scalars. */
  packed?: boolean;
  readonly packedOption?: boolean;
}

export interface ProtoFile {
  readonly syntax: 'proto2' | 'proto3';
  readonly package: string;
  readonly imports: readonly string[];
  readonly messages: ProtoMessage[];
  readonly enums: ProtoEnum[];
}

// ---------------------------------------------------------------------------------------------
// Reading .proto text

type Token = { readonly kind: 'ident' | 'number' | 'string' | 'symbol'; readonly text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) {
          const e = text[j + 1];
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else {
          value += text[j++];
        }
      }
      tokens.push({ kind: 'string', text: value });
      i = j + 1;
    } else if (/[A-Za-z_.]/.test(c) && !(c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_.]/.test(text[j])) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j) });
      i = j;
    } else if (/[-+0-9.]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_.+-]/.test(text[j]) && !(/[+-]/.test(text[j]) && !/[eE]/.test(text[j - 1]))) j++;
      tokens.push({ kind: 'number', text: text.slice(i, j) });
      i = j;
    } else {
      tokens.push({ kind: 'symbol', text: c });
      i++;
    }
  }
  return tokens;
}

class ProtoParser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new SerdeConfigError('Invalid protobuf schema: unexpected end');
    return t;
  }

  is(text: string): boolean {
    return this.peek()?.text === text && this.peek()?.kind !== 'string';
  }

  accept(text: string): boolean {
    if (this.is(text)) {
      this.pos++;
      return true;
    }
    return false;
  }

  expect(text: string): void {
    const t = this.next();
    if (t.text !== text) throw new SerdeConfigError(`Invalid protobuf schema: expected '${text}', got '${t.text}'`);
  }

  /** Skip a balanced { } block (the opening brace is next). */
  skipBlock(): void {
    this.expect('{');
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.kind === 'symbol' && t.text === '{') depth++;
      else if (t.kind === 'symbol' && t.text === '}') depth--;
    }
  }

  /** Skip to the end of a statement (`;`), over nested blocks. */
  skipStatement(): void {
    while (!this.accept(';')) {
      if (this.is('{')) this.skipBlock();
      else this.next();
    }
  }

  /** An option value: a constant, or an aggregate `{ ... }` returned as a parsed object. */
  optionValue(): unknown {
    if (this.is('{')) return this.aggregate();
    if (this.is('[')) return this.list();
    const t = this.next();
    if (t.kind === 'number') return Number(t.text);
    if (t.kind === 'ident' && (t.text === 'true' || t.text === 'false')) return t.text === 'true';
    return t.text;
  }

  private aggregate(): Record<string, unknown> {
    this.expect('{');
    const out: Record<string, unknown> = {};
    while (!this.accept('}')) {
      const key = this.next().text;
      this.accept(':');
      const value = this.optionValue();
      if (key in out) {
        const prev = out[key];
        out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
      } else {
        out[key] = value;
      }
      this.accept(',') || this.accept(';');
    }
    return out;
  }

  private list(): unknown[] {
    this.expect('[');
    const out: unknown[] = [];
    while (!this.accept(']')) {
      out.push(this.optionValue());
      this.accept(',');
    }
    return out;
  }
}

/** Parse .proto text. Services, extensions and unknown statements are skipped. */
export function parseProto(text: string): ProtoFile {
  const p = new ProtoParser(tokenize(text));
  let syntax: 'proto2' | 'proto3' = 'proto2';
  let pkg = '';
  const imports: string[] = [];
  const messages: ProtoMessage[] = [];
  const enums: ProtoEnum[] = [];
  while (p.peek()) {
    if (p.accept(';')) continue;
    const word = p.next().text;
    switch (word) {
      case 'syntax':
        p.expect('=');
        syntax = p.next().text === 'proto3' ? 'proto3' : 'proto2';
        p.expect(';');
        break;
      case 'package':
        pkg = p.next().text;
        p.expect(';');
        break;
      case 'import':
        if (p.is('public') || p.is('weak')) p.next();
        imports.push(p.next().text);
        p.expect(';');
        break;
      case 'message':
        messages.push(parseMessage(p, pkg, syntax));
        break;
      case 'enum':
        enums.push(parseEnum(p, pkg));
        break;
      case 'service':
      case 'extend':
        p.next();
        p.skipBlock();
        break;
      default:
        p.skipStatement();
    }
  }
  return { syntax, package: pkg, imports, messages, enums };
}

function qualified(scope: string, name: string): string {
  return scope ? `${scope}.${name}` : name;
}

function parseEnum(p: ProtoParser, scope: string): ProtoEnum {
  const name = p.next().text;
  const values: { name: string; number: number }[] = [];
  p.expect('{');
  while (!p.accept('}')) {
    if (p.accept(';')) continue;
    if (p.is('option') || p.is('reserved')) {
      p.skipStatement();
      continue;
    }
    const valueName = p.next().text;
    p.expect('=');
    const number = Number(p.next().text);
    if (p.is('[')) skipOptions(p);
    p.expect(';');
    values.push({ name: valueName, number });
  }
  return { kind: 'enum', name, fullName: qualified(scope, name), values };
}

function skipOptions(p: ProtoParser): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  p.expect('[');
  while (!p.accept(']')) {
    let name = '';
    if (p.accept('(')) {
      name = `(${p.next().text})`;
      p.expect(')');
      while (p.peek()?.kind === 'ident' && p.peek()!.text.startsWith('.')) name += p.next().text;
    } else {
      name = p.next().text;
    }
    p.expect('=');
    options[name] = p.optionValue();
    p.accept(',');
  }
  return options;
}

function fieldMetaParams(options: Record<string, unknown>): Record<string, string> {
  const meta = options['(confluent.field_meta)'] as { params?: unknown } | undefined;
  const out: Record<string, string> = {};
  const params = meta?.params;
  for (const entry of Array.isArray(params) ? params : params ? [params] : []) {
    const { key, value } = entry as { key?: unknown; value?: unknown };
    if (key !== undefined) out[String(key)] = String(value);
  }
  return out;
}

function parseMessage(p: ProtoParser, scope: string, syntax: 'proto2' | 'proto3'): ProtoMessage {
  const name = p.next().text;
  const fullName = qualified(scope, name);
  const message: ProtoMessage = { kind: 'message', name, fullName, fields: [], messages: [], enums: [], mapEntry: false };
  p.expect('{');
  const parseField = (label: string | undefined, oneof?: string): void => {
    let typeName: string;
    let mapTypes: [string, string] | undefined;
    if (p.accept('map')) {
      p.expect('<');
      const key = p.next().text;
      p.expect(',');
      const value = p.next().text;
      p.expect('>');
      typeName = '';
      mapTypes = [key, value];
    } else {
      typeName = p.next().text;
    }
    const fieldName = p.next().text;
    p.expect('=');
    const number = Number(p.next().text);
    const options = p.is('[') ? skipOptions(p) : {};
    p.expect(';');
    if (mapTypes) {
      // A map is a repeated synthetic entry message, as protoc makes it.
      const entryName = fieldName.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase()) + 'Entry';
      const entry: ProtoMessage = {
        kind: 'message',
        name: entryName,
        fullName: qualified(fullName, entryName),
        fields: [
          { name: 'key', number: 1, repeated: false, presence: false, typeName: mapTypes[0], params: {} },
          { name: 'value', number: 2, repeated: false, presence: false, typeName: mapTypes[1], params: {} },
        ],
        messages: [],
        enums: [],
        mapEntry: true,
      };
      message.messages.push(entry);
      message.fields.push({ name: fieldName, number, repeated: true, presence: false, typeName: entryName, params: {} });
      return;
    }
    message.fields.push({
      name: fieldName,
      number,
      repeated: label === 'repeated',
      presence: label === 'optional' || label === 'required' || (syntax === 'proto2' && label !== 'repeated') || oneof !== undefined,
      typeName,
      ...(oneof !== undefined ? { oneof } : {}),
      params: fieldMetaParams(options),
      ...(typeof options.packed === 'boolean' ? { packedOption: options.packed } : {}),
    });
  };
  while (!p.accept('}')) {
    if (p.accept(';')) continue;
    const t = p.peek()!;
    switch (t.text) {
      case 'message':
        p.next();
        message.messages.push(parseMessage(p, fullName, syntax));
        break;
      case 'enum':
        p.next();
        message.enums.push(parseEnum(p, fullName));
        break;
      case 'oneof': {
        p.next();
        const oneofName = p.next().text;
        p.expect('{');
        while (!p.accept('}')) {
          if (p.accept(';')) continue;
          if (p.is('option')) {
            p.skipStatement();
            continue;
          }
          parseField(undefined, oneofName);
        }
        break;
      }
      case 'option':
      case 'reserved':
      case 'extensions':
        p.skipStatement();
        break;
      case 'extend':
        p.next();
        p.next();
        p.skipBlock();
        break;
      case 'repeated':
      case 'optional':
      case 'required':
        p.next();
        parseField(t.text);
        break;
      default:
        parseField(undefined);
    }
  }
  return message;
}

// ---------------------------------------------------------------------------------------------
// Resolution

const WELL_KNOWN = `
syntax = "proto3";
package google.protobuf;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message DoubleValue { double value = 1; }
message FloatValue { float value = 1; }
message Int64Value { int64 value = 1; }
message UInt64Value { uint64 value = 1; }
message Int32Value { int32 value = 1; }
message UInt32Value { uint32 value = 1; }
message BoolValue { bool value = 1; }
message StringValue { string value = 1; }
message BytesValue { bytes value = 1; }
`;
const GOOGLE_TYPE = `
syntax = "proto3";
package google.type;
message Date { int32 year = 1; int32 month = 2; int32 day = 3; }
message TimeOfDay { int32 hours = 1; int32 minutes = 2; int32 seconds = 3; int32 nanos = 4; }
`;
const CONFLUENT_TYPE = `
syntax = "proto3";
package confluent.type;
message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }
`;

export const TIMESTAMP_MESSAGE = 'google.protobuf.Timestamp';
export const DATE_MESSAGE = 'google.type.Date';
export const TIME_MESSAGE = 'google.type.TimeOfDay';
export const DECIMAL_MESSAGE = 'confluent.type.Decimal';
export const WRAPPERS: Readonly<Record<string, ProtoScalar>> = {
  'google.protobuf.DoubleValue': 'double',
  'google.protobuf.FloatValue': 'float',
  'google.protobuf.Int64Value': 'int64',
  'google.protobuf.UInt64Value': 'uint64',
  'google.protobuf.Int32Value': 'int32',
  'google.protobuf.UInt32Value': 'uint32',
  'google.protobuf.BoolValue': 'bool',
  'google.protobuf.StringValue': 'string',
  'google.protobuf.BytesValue': 'bytes',
};

/** A parsed and resolved schema: its messages (by full name) and top-level order. */
export interface ProtoSchema {
  readonly file: ProtoFile;
  readonly types: ReadonlyMap<string, ProtoMessage | ProtoEnum>;
}

/** Parse and resolve .proto text (well-known Google and Confluent types are built in). */
export function loadProto(text: string): ProtoSchema {
  const file = parseProto(text);
  const types = new Map<string, ProtoMessage | ProtoEnum>();
  const add = (messages: ProtoMessage[], enums: ProtoEnum[]): void => {
    for (const e of enums) types.set(e.fullName, e);
    for (const m of messages) {
      types.set(m.fullName, m);
      add(m.messages, m.enums);
    }
  };
  for (const builtin of [WELL_KNOWN, GOOGLE_TYPE, CONFLUENT_TYPE]) {
    const f = parseProto(builtin);
    add(f.messages, f.enums);
  }
  add(file.messages, file.enums);
  const resolveIn = (m: ProtoMessage, syntax: 'proto2' | 'proto3'): void => {
    for (const f of m.fields) {
      if (SCALARS.has(f.typeName)) {
        f.type = { kind: 'scalar', scalar: f.typeName as ProtoScalar };
        const numeric = f.typeName !== 'string' && f.typeName !== 'bytes';
        f.packed = f.repeated && numeric && (f.packedOption ?? syntax === 'proto3');
      } else {
        const found = lookup(types, m.fullName, f.typeName);
        if (!found) throw new SerdeConfigError(`Invalid protobuf schema: unknown type ${f.typeName} in ${m.fullName}`);
        f.type = found;
        f.packed = f.repeated && found.kind === 'enum' && (f.packedOption ?? syntax === 'proto3');
      }
    }
    for (const nested of m.messages) resolveIn(nested, syntax);
  };
  for (const [, t] of types) if (t.kind === 'message') resolveIn(t, builtinSyntax(t.fullName) ?? file.syntax);
  return { file, types };
}

function builtinSyntax(fullName: string): 'proto3' | undefined {
  return /^(google\.protobuf|google\.type|confluent\.type)\./.test(fullName) ? 'proto3' : undefined;
}

// Protobuf scoping: innermost scope outwards; a leading '.' is fully qualified.
function lookup(types: Map<string, ProtoMessage | ProtoEnum>, scope: string, name: string): ProtoMessage | ProtoEnum | undefined {
  if (name.startsWith('.')) return types.get(name.slice(1));
  const parts = scope.split('.');
  for (let i = parts.length; i >= 0; i--) {
    const found = types.get(qualified(parts.slice(0, i).join('.'), name));
    if (found) return found;
  }
  return undefined;
}

/**
 * The message a serde reads or writes: the one named by fullSchemaName, else the file's first
 * message; with its index path (Confluent's message indexes).
 */
export function selectMessage(schema: ProtoSchema, fullSchemaName?: string): { message: ProtoMessage; indexes: number[] } {
  const search = (messages: ProtoMessage[], path: number[]): { message: ProtoMessage; indexes: number[] } | undefined => {
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      if (m.mapEntry) continue;
      if (fullSchemaName === undefined || m.fullName === fullSchemaName || m.name === fullSchemaName) {
        return { message: m, indexes: [...path, i] };
      }
      const nested = search(m.messages, [...path, i]);
      if (nested) return nested;
    }
    return undefined;
  };
  const found = search(schema.file.messages, []);
  if (!found) {
    throw new SerdeConfigError(
      fullSchemaName === undefined
        ? 'Invalid protobuf schema: no message'
        : `Schema ${fullSchemaName} does not exist in the defined schema.`,
    );
  }
  return found;
}

/** The message at a Confluent message-index path. */
export function messageAt(schema: ProtoSchema, indexes: readonly number[]): ProtoMessage | undefined {
  let list = schema.file.messages;
  let found: ProtoMessage | undefined;
  for (const i of indexes) {
    found = list[i];
    if (!found) return undefined;
    list = found.messages;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Protobuf -> SQL (inference)

class UnsupportedProtoType extends Error {}

/** The SQL type ksqlDB infers for a message of a registered schema (fields upper-cased unless `originalNames`). */
export function sqlTypeOfProtobuf(
  schemaText: string,
  options: { originalNames: boolean; fullSchemaName?: string; unwrapPrimitives?: boolean },
): SqlType {
  const schema = loadProto(schemaText);
  const { message } = selectMessage(schema, options.fullSchemaName);
  const rename = options.originalNames ? (n: string) => n : (n: string) => n.toUpperCase();
  return messageToSql(message, rename, options.unwrapPrimitives ?? true, new Set());
}

export function messageToSql(
  message: ProtoMessage,
  rename: (name: string) => string,
  unwrapPrimitives: boolean,
  visiting: Set<ProtoMessage>,
): SqlType {
  if (visiting.has(message)) throw new UnsupportedProtoType('Recursive schemas are not supported');
  visiting.add(message);
  const fields: StructField[] = [];
  const oneofs = new Map<string, StructField[]>();
  for (const f of message.fields) {
    let type: SqlType;
    try {
      type = fieldToSql(f, rename, unwrapPrimitives, visiting);
    } catch (e) {
      if (e instanceof UnsupportedProtoType) continue;
      throw e;
    }
    if (f.oneof !== undefined) {
      let members = oneofs.get(f.oneof);
      if (!members) {
        members = [];
        oneofs.set(f.oneof, members);
        fields.push({ name: rename(`${f.oneof}_0`), type: { kind: 'STRUCT', fields: members } });
      }
      members.push({ name: rename(f.name), type });
    } else {
      fields.push({ name: rename(f.name), type });
    }
  }
  visiting.delete(message);
  return { kind: 'STRUCT', fields };
}

function fieldToSql(f: ProtoField, rename: (n: string) => string, unwrap: boolean, visiting: Set<ProtoMessage>): SqlType {
  const type = f.type!;
  if (type.kind === 'message' && type.mapEntry) {
    const value = type.fields.find((x) => x.number === 2)!;
    return { kind: 'MAP', key: { kind: 'STRING' }, value: fieldToSql({ ...value, repeated: false }, rename, unwrap, visiting) };
  }
  const single = singleToSql(type, f.params, rename, unwrap, visiting);
  return f.repeated ? { kind: 'ARRAY', item: single } : single;
}

function singleToSql(
  type: ProtoFieldType,
  params: Readonly<Record<string, string>>,
  rename: (n: string) => string,
  unwrap: boolean,
  visiting: Set<ProtoMessage>,
): SqlType {
  if (type.kind === 'enum') return { kind: 'STRING' };
  if (type.kind === 'scalar') return scalarToSql(type.scalar);
  switch (type.fullName) {
    case TIMESTAMP_MESSAGE:
      return { kind: 'TIMESTAMP' };
    case DATE_MESSAGE:
      return { kind: 'DATE' };
    case TIME_MESSAGE:
      return { kind: 'TIME' };
    case DECIMAL_MESSAGE:
      return decimal(Number(params.precision ?? 64), Number(params.scale ?? 0));
    default:
      if (unwrap && WRAPPERS[type.fullName]) return scalarToSql(WRAPPERS[type.fullName]);
      return messageToSql(type, rename, unwrap, visiting);
  }
}

function scalarToSql(scalar: ProtoScalar): SqlType {
  switch (scalar) {
    case 'double':
    case 'float':
      return { kind: 'DOUBLE' };
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return { kind: 'INTEGER' };
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint32':
    case 'fixed32':
    case 'uint64':
    case 'fixed64':
      return { kind: 'BIGINT' };
    case 'bool':
      return { kind: 'BOOLEAN' };
    case 'string':
      return { kind: 'STRING' };
    case 'bytes':
      return { kind: 'BYTES' };
    default: {
      const unreachable: never = scalar;
      throw new Error(`Unknown scalar ${String(unreachable)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// SQL -> Protobuf (what a sink registers)

export type NullableRepresentation = 'optional' | 'wrapper' | undefined;

export interface ProtoSchemaOptions {
  /** Root message name (KEY_/VALUE_SCHEMA_FULL_NAME); default ConnectDefault1. */
  readonly fullName?: string;
  readonly nullable?: NullableRepresentation;
}

interface GenMessage {
  name: string;
  fields: string[];
  nested: GenMessage[];
}

/** The .proto text ksqlDB registers for these columns (always a message: PROTOBUF wraps single values). */
export function protobufSchemaFor(columns: readonly SerdeColumn[], options: ProtoSchemaOptions = {}): string {
  let counter = 0;
  const imports = new Set<string>();
  const fullName = options.fullName?.trim() || undefined;
  const dot = fullName?.lastIndexOf('.') ?? -1;
  const pkg = fullName && dot >= 0 ? fullName.slice(0, dot) : undefined;
  const rootName = fullName ? fullName.slice(dot + 1) : undefined;

  const message = (fields: readonly { name: string; type: SqlType }[], name?: string): GenMessage => {
    const gen: GenMessage = { name: name ?? `ConnectDefault${++counter}`, fields: [], nested: [] };
    fields.forEach((f, i) => {
      gen.fields.push(fieldLine(gen, f.name, f.type, i + 1));
    });
    return gen;
  };

  const fieldLine = (owner: GenMessage, name: string, type: SqlType, number: number): string => {
    if (type.kind === 'ARRAY') {
      if (type.item.kind === 'ARRAY' || type.item.kind === 'MAP') {
        throw new SerdeConfigError(`PROTOBUF cannot carry nested collections: ${name}`);
      }
      return `repeated ${typeName(owner, type.item, false)} ${name} = ${number};`;
    }
    if (type.kind === 'MAP') {
      if (type.key.kind !== 'STRING') throw new SerdeConfigError('PROTOBUF only supports MAPs with STRING keys');
      return `map<string, ${typeName(owner, type.value, false)}> ${name} = ${number};`;
    }
    const optional = options.nullable === 'optional' && isScalar(type) ? 'optional ' : '';
    const suffix = type.kind === 'DECIMAL' ? ` [(confluent.field_meta) = { params: [{ key: "precision", value: "${type.precision}" }, { key: "scale", value: "${type.scale}" }] }]` : '';
    return `${optional}${typeName(owner, type, true)} ${name} = ${number}${suffix};`;
  };

  const typeName = (owner: GenMessage, type: SqlType, nullableWrapper: boolean): string => {
    const wrap = nullableWrapper && options.nullable === 'wrapper';
    const wrapper = (w: string, plain: string): string => {
      if (!wrap) return plain;
      imports.add('google/protobuf/wrappers.proto');
      return `google.protobuf.${w}`;
    };
    switch (type.kind) {
      case 'BOOLEAN':
        return wrapper('BoolValue', 'bool');
      case 'INTEGER':
        return wrapper('Int32Value', 'int32');
      case 'BIGINT':
        return wrapper('Int64Value', 'int64');
      case 'DOUBLE':
        return wrapper('DoubleValue', 'double');
      case 'STRING':
        return wrapper('StringValue', 'string');
      case 'BYTES':
        return wrapper('BytesValue', 'bytes');
      case 'DECIMAL':
        imports.add('confluent/type/decimal.proto');
        return DECIMAL_MESSAGE;
      case 'DATE':
        imports.add('google/type/date.proto');
        return DATE_MESSAGE;
      case 'TIME':
        imports.add('google/type/timeofday.proto');
        return TIME_MESSAGE;
      case 'TIMESTAMP':
        imports.add('google/protobuf/timestamp.proto');
        return TIMESTAMP_MESSAGE;
      case 'STRUCT': {
        const nested = message(type.fields);
        owner.nested.push(nested);
        return nested.name;
      }
      case 'ARRAY':
      case 'MAP':
        throw new SerdeConfigError(`PROTOBUF cannot carry ${type.kind} here`);
      default: {
        const unreachable: never = type;
        throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
      }
    }
  };

  const root = message(columns, rootName);
  let out = 'syntax = "proto3";\n';
  if (pkg) out += `package ${pkg};\n`;
  if (imports.size > 0) {
    out += '\n';
    for (const i of [...imports].sort()) out += `import "${i}";\n`;
  }
  out += '\n' + printMessage(root);
  return out;
}

function isScalar(type: SqlType): boolean {
  return ['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES'].includes(type.kind);
}

function printMessage(m: GenMessage): string {
  let out = `message ${m.name} {`;
  if (m.fields.length > 0) {
    out += '\n';
    for (const f of m.fields) out += `  ${f}\n`;
  }
  if (m.nested.length > 0) {
    out += '\n';
    for (const n of m.nested) out += indent(printMessage(n));
  }
  return out + '}\n';
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
}
