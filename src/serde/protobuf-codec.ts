/**
 * Protobuf binary encoding, compiled once per (message, SQL type) pair.
 *
 * Reading follows Confluent's ProtobufData then ksqlDB's translator: an absent field reads as
 * its proto3 default (0, "", false) unless it has presence (`optional`, a message, a wrapper
 * type), which reads as null; repeated fields are never null; the well-known Timestamp, Date,
 * TimeOfDay and confluent Decimal messages are TIMESTAMP, DATE, TIME and DECIMAL; wrapper
 * messages are their primitive; enums are STRING; fields match columns exactly or upper-cased.
 * Writing omits defaults and nulls as proto3 does.
 */
import {
  Decimal,
  civilFromDays,
  daysFromCivil,
  formatDouble,
  formatType,
  type SqlType,
  type Struct,
} from '../schema/index.js';
import { bytesValue, copyBytes } from './bytes.js';
import { bigintToBytes, bytesToBigint, formatFloat } from './numbers.js';
import { CoercionError } from './errors.js';
import {
  DATE_MESSAGE,
  DECIMAL_MESSAGE,
  TIMESTAMP_MESSAGE,
  TIME_MESSAGE,
  WRAPPERS,
  type ProtoField,
  type ProtoFieldType,
  type ProtoMessage,
  type ProtoScalar,
} from './protobuf-schema.js';

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

// ---------------------------------------------------------------------------------------------
// Bytes

const SCRATCH = new ArrayBuffer(8);
const SCRATCH_VIEW = new DataView(SCRATCH);

export class ProtoReader {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  private nodeCache: Buffer | undefined;

  reset(bytes: Uint8Array, start: number, end = bytes.length): void {
    this.buf = bytes;
    this.pos = start;
    this.end = end;
    this.nodeCache = undefined;
  }

  /** An unsigned varint of up to 64 bits, as a number when it fits 2^53, else a bigint. */
  varint(): number | bigint {
    const buf = this.buf;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw truncated();
      const b = buf[this.pos++];
      if (i === 7 && b > 0x0f) return this.bigVarint(result, b);
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new Error('Malformed varint');
  }

  private bigVarint(low: number, b: number): bigint {
    let result = BigInt(low) + (BigInt(b & 0x7f) << 49n);
    let shift = 56n;
    while (b >= 0x80) {
      if (this.pos >= this.end) throw truncated();
      b = this.buf[this.pos++];
      result += BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (shift > 70n) throw new Error('Malformed varint');
    }
    return BigInt.asUintN(64, result);
  }

  uint32(): number {
    const v = this.varint();
    return Number(BigInt.asUintN(32, BigInt(v)));
  }

  int32(): number {
    const v = this.varint();
    return typeof v === 'number' ? v | 0 : Number(BigInt.asIntN(32, v));
  }

  int64(): bigint {
    return BigInt.asIntN(64, BigInt(this.varint()));
  }

  uint64(): bigint {
    return BigInt.asUintN(64, BigInt(this.varint()));
  }

  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  sint64(): bigint {
    const n = this.uint64();
    return (n >> 1n) ^ -(n & 1n);
  }

  fixed32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  fixed64(): bigint {
    const lo = BigInt(this.fixed32());
    const hi = BigInt(this.fixed32());
    return (hi << 32n) | lo;
  }

  float(): number {
    this.need(4);
    for (let i = 0; i < 4; i++) SCRATCH_VIEW.setUint8(i, this.buf[this.pos + i]);
    this.pos += 4;
    return SCRATCH_VIEW.getFloat32(0, true);
  }

  double(): number {
    this.need(8);
    for (let i = 0; i < 8; i++) SCRATCH_VIEW.setUint8(i, this.buf[this.pos + i]);
    this.pos += 8;
    return SCRATCH_VIEW.getFloat64(0, true);
  }

  length(): number {
    const n = this.varint();
    if (typeof n !== 'number' || n > this.end - this.pos) throw truncated();
    return n;
  }

  bytes(): Uint8Array {
    const n = this.length();
    const out = bytesValue(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const n = this.length();
    const start = this.pos;
    this.pos += n;
    this.nodeCache ??= Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.nodeCache.toString('utf8', start, start + n);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case VARINT:
        this.varint();
        return;
      case I64:
        this.need(8);
        this.pos += 8;
        return;
      case LEN: {
        const n = this.length();
        this.pos += n;
        return;
      }
      case I32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new Error(`Unsupported protobuf wire type ${wireType}`);
    }
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw truncated();
  }
}

function truncated(): Error {
  return new Error('Protobuf data ended early (truncated message)');
}

const utf8 = new TextEncoder();

export class ProtoWriter {
  buf = new Uint8Array(256);
  pos = 0;

  reset(start = 0): void {
    this.ensure(start);
    this.pos = start;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  result(): Uint8Array {
    return copyBytes(this.buf, 0, this.pos);
  }

  /** An unsigned varint; negative numbers and bigints are taken modulo 2^64 (int32/int64 encoding). */
  varint(v: number | bigint): void {
    this.ensure(10);
    const buf = this.buf;
    if (typeof v === 'number' && v >= 0 && v <= 0xffffffff) {
      while (v > 0x7f) {
        buf[this.pos++] = (v & 0x7f) | 0x80;
        v = v >>> 7;
      }
      buf[this.pos++] = v;
      return;
    }
    let n = BigInt.asUintN(64, BigInt(v));
    while (n > 0x7fn) {
      buf[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    buf[this.pos++] = Number(n);
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  fixed32(v: number): void {
    this.ensure(4);
    const buf = this.buf;
    buf[this.pos++] = v & 0xff;
    buf[this.pos++] = (v >>> 8) & 0xff;
    buf[this.pos++] = (v >>> 16) & 0xff;
    buf[this.pos++] = (v >>> 24) & 0xff;
  }

  fixed64(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.fixed32(Number(u & 0xffffffffn));
    this.fixed32(Number(u >> 32n));
  }

  float(v: number): void {
    SCRATCH_VIEW.setFloat32(0, v, true);
    this.ensure(4);
    for (let i = 0; i < 4; i++) this.buf[this.pos++] = SCRATCH_VIEW.getUint8(i);
  }

  double(v: number): void {
    SCRATCH_VIEW.setFloat64(0, v, true);
    this.ensure(8);
    for (let i = 0; i < 8; i++) this.buf[this.pos++] = SCRATCH_VIEW.getUint8(i);
  }

  bytes(v: Uint8Array): void {
    this.varint(v.length);
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** UTF-8 bytes without a length (the caller frames them). */
  rawString(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.ensure(n);
    utf8.encodeInto(s, this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
  }

  /** Bytes without a length (the caller frames them). */
  raw(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** A length-delimited field whose content `write` produces (written after a reserved length). */
  nested(write: () => void): void {
    // Reserve one byte for the length; move the content if it needs more.
    this.ensure(1);
    const lengthAt = this.pos++;
    const start = this.pos;
    write();
    const length = this.pos - start;
    if (length < 0x80) {
      this.buf[lengthAt] = length;
      return;
    }
    let size = 1;
    for (let n = length >>> 7; n > 0; n >>>= 7) size++;
    this.ensure(size - 1);
    this.buf.copyWithin(start + size - 1, start, this.pos);
    this.pos = lengthAt;
    this.varint(length);
    this.pos += length;
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding

export type ProtoDecode = (r: ProtoReader) => unknown;

/** Compile-time mismatch between the schema and the column type (fails every record). */
export class ProtoMismatchError extends Error {}

interface FieldReader {
  readonly field: ProtoField;
  /** Index of the target field, or -1 to skip. */
  readonly at: number;
  /** Read one value occurrence (the tag has been read). */
  readonly read: (r: ProtoReader, wireType: number) => unknown;
  readonly repeated: boolean;
  readonly map: boolean;
  /** The value when absent. */
  readonly absent: () => unknown;
}

/**
 * A reader of a message into a STRUCT target: as a Struct, or as a row array when `asRow`.
 * `end` is the message's end offset (the caller knows it from the length prefix).
 */
export function compileMessageDecoder(
  message: ProtoMessage,
  target: SqlType,
  path: string,
  asRow: boolean,
): (r: ProtoReader, end: number) => unknown {
  if (target.kind !== 'STRUCT') throw mismatch('struct', target, path);
  const names = target.fields.map((f) => f.name);
  const index = new Map<string, number>();
  names.forEach((n, i) => index.set(n, i));
  const readers: FieldReader[] = [];
  const byNumber = new Map<number, FieldReader>();
  for (const field of message.fields) {
    let at = index.get(field.name);
    if (at === undefined) at = index.get(field.name.toUpperCase());
    const reader =
      at === undefined
        ? { field, at: -1, read: skipper, repeated: false, map: false, absent: () => null }
        : fieldReader(field, target.fields[at].type, `${path}->${target.fields[at].name}`, at);
    readers.push(reader);
    byNumber.set(field.number, reader);
  }
  const n = names.length;
  return (r, end) => {
    const values = new Array<unknown>(n).fill(undefined);
    while (r.pos < end) {
      const tag = r.uint32();
      const number = tag >>> 3;
      const wireType = tag & 7;
      const reader = byNumber.get(number);
      if (!reader || reader.at < 0) {
        r.skip(wireType);
        continue;
      }
      if (reader.map) {
        let m = values[reader.at] as Map<unknown, unknown> | undefined;
        if (m === undefined) values[reader.at] = m = new Map();
        const [k, v] = reader.read(r, wireType) as [unknown, unknown];
        m.set(k, v);
      } else if (reader.repeated) {
        let list = values[reader.at] as unknown[] | undefined;
        if (list === undefined) values[reader.at] = list = [];
        const v = reader.read(r, wireType);
        if (v instanceof PackedValues) list.push(...v.items);
        else list.push(v);
      } else {
        values[reader.at] = reader.read(r, wireType);
      }
    }
    if (r.pos > end) throw truncated();
    for (const reader of readers) {
      if (reader.at >= 0 && values[reader.at] === undefined) values[reader.at] = reader.absent();
    }
    for (let i = 0; i < n; i++) if (values[i] === undefined) values[i] = null;
    if (asRow) return values;
    const s: Struct = {};
    for (let i = 0; i < n; i++) s[names[i]] = values[i];
    return s;
  };
}

class PackedValues {
  constructor(readonly items: unknown[]) {}
}

function skipper(r: ProtoReader, wireType: number): unknown {
  r.skip(wireType);
  return null;
}

function mismatch(protoType: string, target: SqlType, path: string): ProtoMismatchError {
  return new ProtoMismatchError(`Cannot deserialize type ${protoType} as type ${formatType(target)} for path: ${path}`);
}

function fieldReader(field: ProtoField, target: SqlType, path: string, at: number): FieldReader {
  const type = field.type!;
  if (type.kind === 'message' && type.mapEntry) {
    if (target.kind !== 'MAP') throw mismatch('map', target, path);
    const keyField = type.fields.find((f) => f.number === 1)!;
    const valueField = type.fields.find((f) => f.number === 2)!;
    const key = singleReader(keyField.type!, target.key, `${path}->MAP_KEY`, keyField);
    const value = singleReader(valueField.type!, target.value, `${path}->MAP_VAL`, valueField);
    const keyDefault = defaultOf(keyField, target.key);
    const valueDefault = defaultOf(valueField, target.value);
    return {
      field,
      at,
      repeated: true,
      map: true,
      absent: () => new Map(),
      read: (r) => {
        const length = r.length();
        const end = r.pos + length;
        let k: unknown;
        let v: unknown;
        while (r.pos < end) {
          const tag = r.uint32();
          if (tag >>> 3 === 1) k = key(r, tag & 7);
          else if (tag >>> 3 === 2) v = value(r, tag & 7);
          else r.skip(tag & 7);
        }
        return [k === undefined ? keyDefault() : k, v === undefined ? valueDefault() : v];
      },
    };
  }
  if (field.repeated) {
    if (target.kind !== 'ARRAY') throw mismatch('array', target, path);
    const item = singleReader(type, target.item, `${path}->ARRAY`, field);
    const packable = type.kind === 'enum' || (type.kind === 'scalar' && type.scalar !== 'string' && type.scalar !== 'bytes');
    return {
      field,
      at,
      repeated: true,
      map: false,
      absent: () => [],
      read: (r, wireType) => {
        if (packable && wireType === LEN) {
          const length = r.length();
          const end = r.pos + length;
          const items: unknown[] = [];
          while (r.pos < end) items.push(item(r, scalarWireType(type)));
          return new PackedValues(items);
        }
        return item(r, wireType);
      },
    };
  }
  return {
    field,
    at,
    repeated: false,
    map: false,
    absent: defaultOf(field, target),
    read: singleReader(type, target, path, field),
  };
}

function scalarWireType(type: ProtoFieldType): number {
  if (type.kind !== 'scalar') return VARINT;
  switch (type.scalar) {
    case 'double':
    case 'fixed64':
    case 'sfixed64':
      return I64;
    case 'float':
    case 'fixed32':
    case 'sfixed32':
      return I32;
    default:
      return VARINT;
  }
}

/** The value of an absent field: null with presence, else the proto3 default as the column's type. */
function defaultOf(field: ProtoField, target: SqlType): () => unknown {
  const type = field.type!;
  if (field.presence || type.kind === 'message') return () => null;
  if (type.kind === 'enum') {
    const first = type.values[0]?.name ?? '0';
    return () => first;
  }
  switch (type.scalar) {
    case 'string':
      return target.kind === 'STRING' ? () => '' : () => null;
    case 'bytes':
      return target.kind === 'BYTES' ? () => new Uint8Array(0) : () => null;
    case 'bool':
      return target.kind === 'BOOLEAN' ? () => false : target.kind === 'STRING' ? () => 'false' : () => null;
    default: {
      switch (target.kind) {
        case 'INTEGER':
        case 'DATE':
        case 'TIME':
        case 'TIMESTAMP':
        case 'DOUBLE':
          return () => 0;
        case 'BIGINT':
          return () => 0n;
        case 'STRING':
          return type.scalar === 'float' || type.scalar === 'double' ? () => '0.0' : () => '0';
        default:
          return () => null;
      }
    }
  }
}

type ValueReader = (r: ProtoReader, wireType: number) => unknown;

function singleReader(type: ProtoFieldType, target: SqlType, path: string, field: ProtoField): ValueReader {
  if (type.kind === 'enum') {
    if (target.kind !== 'STRING') throw mismatch('string', target, path);
    const names = new Map(type.values.map((v) => [v.number, v.name]));
    return (r) => {
      const n = r.int32();
      return names.get(n) ?? String(n);
    };
  }
  if (type.kind === 'scalar') return scalarReader(type.scalar, target, path);
  const wrapped = WRAPPERS[type.fullName];
  if (wrapped) {
    const inner = scalarReader(wrapped, target, path);
    const dflt = defaultOf({ ...field, presence: false, type: { kind: 'scalar', scalar: wrapped } }, target);
    return (r) => {
      const length = r.length();
      const end = r.pos + length;
      let v: unknown;
      while (r.pos < end) {
        const tag = r.uint32();
        if (tag >>> 3 === 1) v = inner(r, tag & 7);
        else r.skip(tag & 7);
      }
      return v === undefined ? dflt() : v;
    };
  }
  switch (type.fullName) {
    case TIMESTAMP_MESSAGE:
      return wellKnownReader(type, target, path, ['TIMESTAMP', 'BIGINT', 'STRING'], (f) => {
        const ms = Number(f[1] ?? 0n) * 1000 + Math.floor(Number(f[2] ?? 0) / 1e6);
        return target.kind === 'BIGINT' ? BigInt(ms) : target.kind === 'STRING' ? String(ms) : ms;
      });
    case DATE_MESSAGE:
      return wellKnownReader(type, target, path, ['DATE', 'INTEGER', 'STRING'], (f) => {
        const days = daysFromCivil(Number(f[1] ?? 0), Number(f[2] ?? 1), Number(f[3] ?? 1));
        return target.kind === 'STRING' ? String(days) : days;
      });
    case TIME_MESSAGE:
      return wellKnownReader(type, target, path, ['TIME', 'INTEGER', 'STRING'], (f) => {
        const ms = ((Number(f[1] ?? 0) * 60 + Number(f[2] ?? 0)) * 60 + Number(f[3] ?? 0)) * 1000 + Math.floor(Number(f[4] ?? 0) / 1e6);
        return target.kind === 'STRING' ? String(ms) : ms;
      });
    case DECIMAL_MESSAGE:
      return wellKnownReader(type, target, path, ['DECIMAL'], (f) => {
        const d = new Decimal(bytesToBigint((f[1] as Uint8Array | undefined) ?? new Uint8Array(0)), Number(f[3] ?? 0));
        return target.kind === 'DECIMAL' && d.scale !== target.scale ? d.setScale(target.scale, 'HALF_UP') : d;
      });
    default: {
      const decode = compileMessageDecoder(type, target, path, false);
      return (r) => {
        const length = r.length();
        const end = r.pos + length;
        return decode(r, end);
      };
    }
  }
}

// A well-known message read field by field (by number) and converted.
function wellKnownReader(
  type: ProtoMessage,
  target: SqlType,
  path: string,
  allowed: readonly SqlType['kind'][],
  convert: (fields: Record<number, unknown>) => unknown,
): ValueReader {
  if (!allowed.includes(target.kind)) throw mismatch(type.fullName, target, path);
  const kinds = new Map(type.fields.map((f) => [f.number, f.typeName]));
  return (r) => {
    const length = r.length();
    const end = r.pos + length;
    const fields: Record<number, unknown> = {};
    while (r.pos < end) {
      const tag = r.uint32();
      const n = tag >>> 3;
      switch (kinds.get(n)) {
        case 'int64':
          fields[n] = r.int64();
          break;
        case 'int32':
          fields[n] = r.int32();
          break;
        case 'uint32':
          fields[n] = r.uint32();
          break;
        case 'bytes':
          fields[n] = r.bytes();
          break;
        default:
          r.skip(tag & 7);
      }
    }
    return convert(fields);
  };
}

function scalarReader(scalar: ProtoScalar, target: SqlType, path: string): ValueReader {
  const read = rawScalarReader(scalar);
  const kind = target.kind;
  switch (scalar) {
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      if (kind === 'INTEGER' || kind === 'DATE' || kind === 'TIME' || kind === 'TIMESTAMP') return read;
      if (kind === 'BIGINT') return (r, w) => BigInt(read(r, w) as number);
      if (kind === 'STRING') return (r, w) => String(read(r, w));
      break;
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint32':
    case 'fixed32':
    case 'uint64':
    case 'fixed64': {
      const asLong = (r: ProtoReader, w: number): bigint => BigInt.asIntN(64, BigInt(read(r, w) as number | bigint));
      if (kind === 'BIGINT') return asLong;
      if (kind === 'TIMESTAMP') return (r, w) => Number(asLong(r, w));
      if (kind === 'STRING') return (r, w) => asLong(r, w).toString();
      break;
    }
    case 'float':
      if (kind === 'DOUBLE') return read;
      if (kind === 'STRING') return (r, w) => formatFloat(read(r, w) as number);
      break;
    case 'double':
      if (kind === 'DOUBLE') return read;
      if (kind === 'STRING') return (r, w) => formatDouble(read(r, w) as number);
      break;
    case 'bool':
      if (kind === 'BOOLEAN') return read;
      if (kind === 'STRING') return (r, w) => String(read(r, w));
      break;
    case 'string':
      if (kind === 'STRING') return read;
      break;
    case 'bytes':
      if (kind === 'BYTES') return read;
      break;
    default: {
      const unreachable: never = scalar;
      throw new Error(`Unknown scalar ${String(unreachable)}`);
    }
  }
  throw mismatch(scalar, target, path);
}

function rawScalarReader(scalar: ProtoScalar): ValueReader {
  switch (scalar) {
    case 'int32':
      return (r) => r.int32();
    case 'sint32':
      return (r) => r.sint32();
    case 'sfixed32':
      return (r) => r.fixed32() | 0;
    case 'uint32':
      return (r) => r.uint32();
    case 'fixed32':
      return (r) => r.fixed32();
    case 'int64':
      return (r) => r.int64();
    case 'sint64':
      return (r) => r.sint64();
    case 'uint64':
      return (r) => r.uint64();
    case 'fixed64':
    case 'sfixed64':
      return (r) => BigInt.asIntN(64, r.fixed64());
    case 'float':
      return (r) => r.float();
    case 'double':
      return (r) => r.double();
    case 'bool':
      return (r) => r.varint() !== 0;
    case 'string':
      return (r) => r.string();
    case 'bytes':
      return (r) => r.bytes();
    default: {
      const unreachable: never = scalar;
      throw new Error(`Unknown scalar ${String(unreachable)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

export type ProtoEncode = (w: ProtoWriter, value: unknown) => void;

/**
 * A writer of the fields of a message from named values (a Struct, or a row array when
 * `asRow`). Fields match names exactly; fields the values lack are left out (their default).
 */
export function compileMessageEncoder(
  message: ProtoMessage,
  fields: readonly { name: string; type: SqlType }[],
  path: string,
  asRow: boolean,
): ProtoEncode {
  const parts: { at: number; name: string; write: ProtoEncode }[] = [];
  const ordered = [...message.fields].sort((a, b) => a.number - b.number);
  for (const f of ordered) {
    const at = fields.findIndex((c) => c.name === f.name);
    if (at < 0) continue;
    parts.push({ at, name: fields[at].name, write: fieldWriter(f, fields[at].type, `${path}->${f.name}`) });
  }
  if (asRow) {
    return (w, v) => {
      const row = v as readonly unknown[];
      for (const p of parts) p.write(w, row[p.at]);
    };
  }
  return (w, v) => {
    const s = v as Struct;
    for (const p of parts) p.write(w, s[p.name]);
  };
}

function fieldWriter(field: ProtoField, source: SqlType, path: string): ProtoEncode {
  const type = field.type!;
  const number = field.number;
  if (type.kind === 'message' && type.mapEntry) {
    if (source.kind !== 'MAP') throw mismatch('map', source, path);
    const keyField = type.fields.find((f) => f.number === 1)!;
    const valueField = type.fields.find((f) => f.number === 2)!;
    const key = fieldWriter(keyField, source.key, `${path}->MAP_KEY`);
    const value = fieldWriter(valueField, source.value, `${path}->MAP_VAL`);
    return (w, v) => {
      if (v === null || v === undefined) return;
      for (const [k, x] of v as ReadonlyMap<unknown, unknown>) {
        w.tag(number, LEN);
        w.nested(() => {
          key(w, k);
          value(w, x);
        });
      }
    };
  }
  if (field.repeated) {
    if (source.kind !== 'ARRAY') throw mismatch('array', source, path);
    const write = valueWriter(type, source.item, path);
    const packed = field.packed === true;
    const wireType = wireTypeOf(type);
    return (w, v) => {
      if (v === null || v === undefined) return;
      const items = v as readonly unknown[];
      if (items.length === 0) return;
      if (packed) {
        w.tag(number, LEN);
        w.nested(() => {
          for (const item of items) write(w, item ?? zeroOf(source.item));
        });
        return;
      }
      for (const item of items) {
        w.tag(number, wireType);
        if (wireType === LEN) w.nested(() => write(w, item ?? zeroOf(source.item)));
        else write(w, item ?? zeroOf(source.item));
      }
    };
  }
  const write = valueWriter(type, source, path);
  const wireType = wireTypeOf(type);
  const presence = field.presence || type.kind === 'message';
  const isDefault = defaultTest(type);
  return (w, v) => {
    if (v === null || v === undefined) return;
    if (!presence && isDefault(v)) return;
    w.tag(number, wireType);
    if (wireType === LEN) w.nested(() => write(w, v));
    else write(w, v);
  };
}

function zeroOf(type: SqlType): unknown {
  switch (type.kind) {
    case 'BIGINT':
      return 0n;
    case 'STRING':
      return '';
    case 'BOOLEAN':
      return false;
    case 'BYTES':
      return new Uint8Array(0);
    case 'DECIMAL':
      return Decimal.ZERO;
    case 'STRUCT':
      return {};
    default:
      return 0;
  }
}

function wireTypeOf(type: ProtoFieldType): number {
  if (type.kind === 'message') return LEN;
  if (type.kind === 'enum') return VARINT;
  if (type.scalar === 'string' || type.scalar === 'bytes') return LEN;
  return scalarWireType(type);
}

// proto3 leaves a field out when it holds its type's default.
function defaultTest(type: ProtoFieldType): (v: unknown) => boolean {
  if (type.kind === 'message') return () => false;
  if (type.kind === 'enum') {
    const first = type.values[0]?.name;
    return (v) => v === first;
  }
  switch (type.scalar) {
    case 'string':
      return (v) => v === '';
    case 'bytes':
      return (v) => (v as Uint8Array).length === 0;
    case 'bool':
      return (v) => v === false;
    case 'float':
    case 'double':
      return (v) => v === 0 && !Object.is(v, -0);
    default:
      return (v) => v === 0 || v === 0n;
  }
}

/** Writes the content of one value (for length-delimited types: without tag or length). */
function valueWriter(type: ProtoFieldType, source: SqlType, path: string): ProtoEncode {
  if (type.kind === 'enum') {
    if (source.kind !== 'STRING') throw mismatch('enum', source, path);
    const numbers = new Map(type.values.map((v) => [v.name, v.number]));
    return (w, v) => {
      const n = numbers.get(v as string);
      if (n === undefined) throw new CoercionError(`'${String(v)}' is not a value of enum ${type.fullName}`, path);
      w.varint(n);
    };
  }
  if (type.kind === 'scalar') return scalarWriter(type.scalar, source, path);
  const wrapped = WRAPPERS[type.fullName];
  if (wrapped) {
    const inner = scalarWriter(wrapped, source, path);
    const wireType = wireTypeOf({ kind: 'scalar', scalar: wrapped });
    const isDefault = defaultTest({ kind: 'scalar', scalar: wrapped });
    return (w, v) => {
      if (isDefault(v)) return;
      w.tag(1, wireType);
      if (wireType === LEN) w.nested(() => inner(w, v));
      else inner(w, v);
    };
  }
  switch (type.fullName) {
    case TIMESTAMP_MESSAGE:
      if (source.kind !== 'TIMESTAMP' && source.kind !== 'BIGINT') break;
      return (w, v) => {
        const ms = Number(v);
        const seconds = Math.floor(ms / 1000);
        const nanos = (ms - seconds * 1000) * 1e6;
        if (seconds !== 0) {
          w.tag(1, VARINT);
          w.varint(BigInt(seconds));
        }
        if (nanos !== 0) {
          w.tag(2, VARINT);
          w.varint(nanos);
        }
      };
    case DATE_MESSAGE:
      if (source.kind !== 'DATE') break;
      return (w, v) => {
        const [year, month, day] = civilFromDays(v as number);
        for (const [n, x] of [
          [1, year],
          [2, month],
          [3, day],
        ] as const) {
          if (x !== 0) {
            w.tag(n, VARINT);
            w.varint(x);
          }
        }
      };
    case TIME_MESSAGE:
      if (source.kind !== 'TIME') break;
      return (w, v) => {
        const ms = v as number;
        const parts = [Math.floor(ms / 3_600_000), Math.floor(ms / 60_000) % 60, Math.floor(ms / 1000) % 60, (ms % 1000) * 1e6];
        parts.forEach((x, i) => {
          if (x !== 0) {
            w.tag(i + 1, VARINT);
            w.varint(x);
          }
        });
      };
    case DECIMAL_MESSAGE:
      if (source.kind !== 'DECIMAL') break;
      return (w, v) => {
        const d = v as Decimal;
        w.tag(1, LEN);
        w.bytes(bigintToBytes(d.unscaled));
        w.tag(2, VARINT);
        w.varint(d.precision());
        if (d.scale !== 0) {
          w.tag(3, VARINT);
          w.varint(d.scale);
        }
      };
    default: {
      if (source.kind !== 'STRUCT') break;
      return compileMessageEncoder(type, source.fields, path, false);
    }
  }
  throw mismatch(type.fullName, source, path);
}

function scalarWriter(scalar: ProtoScalar, source: SqlType, path: string): ProtoEncode {
  const kind = source.kind;
  switch (scalar) {
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
      if (kind === 'INTEGER' || kind === 'BIGINT' || kind === 'DATE' || kind === 'TIME' || kind === 'TIMESTAMP') {
        return (w, v) => w.varint(typeof v === 'bigint' ? v : Math.trunc(v as number));
      }
      break;
    case 'sint32':
    case 'sint64':
      if (kind === 'INTEGER' || kind === 'BIGINT' || kind === 'TIMESTAMP') {
        return (w, v) => {
          const n = BigInt(v as number | bigint);
          w.varint((n << 1n) ^ (n >> 63n));
        };
      }
      break;
    case 'fixed32':
    case 'sfixed32':
      if (kind === 'INTEGER' || kind === 'BIGINT') return (w, v) => w.fixed32(Number(v));
      break;
    case 'fixed64':
    case 'sfixed64':
      if (kind === 'INTEGER' || kind === 'BIGINT' || kind === 'TIMESTAMP') return (w, v) => w.fixed64(BigInt(v as number | bigint));
      break;
    case 'float':
      if (kind === 'DOUBLE') return (w, v) => w.float(v as number);
      break;
    case 'double':
      if (kind === 'DOUBLE') return (w, v) => w.double(v as number);
      break;
    case 'bool':
      if (kind === 'BOOLEAN') return (w, v) => w.varint(v ? 1 : 0);
      break;
    case 'string':
      if (kind === 'STRING') return (w, v) => w.rawString(v as string);
      break;
    case 'bytes':
      if (kind === 'BYTES') return (w, v) => w.raw(v as Uint8Array);
      break;
    default: {
      const unreachable: never = scalar;
      throw new Error(`Unknown scalar ${String(unreachable)}`);
    }
  }
  throw mismatch(scalar, source, path);
}
