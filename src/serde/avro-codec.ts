/**
 * Avro binary encoding (the Avro 1.x spec), compiled once per (schema, SQL type) pair into
 * closures that go straight from bytes to SQL values and back.
 *
 * Reading applies ksqlDB's ConnectDataTranslator to the writer's schema: numbers widen
 * (int -> BIGINT, float -> DOUBLE), scalars become STRING (String.valueOf), enums are
 * STRING, ["null", T] is T, other unions are a STRUCT with one field per branch, record
 * fields match columns exactly or upper-cased, fields the columns lack are skipped. A type
 * that cannot be read into its column fails every record of that schema, as in ksqlDB.
 */
import { Decimal, formatDouble, formatType, type SqlType, type Struct } from '../schema/index.js';
import { bytesValue, copyBytes } from './bytes.js';
import { bigintToBytes, bytesToBigint, formatFloat } from './numbers.js';
import { CoercionError } from './errors.js';
import {
  connectTypeName,
  mapEntryOf,
  optionalBranch,
  unionBranchName,
  type AvroField,
  type AvroNode,
  type AvroRecord,
} from './avro-schema.js';

// ---------------------------------------------------------------------------------------------
// Binary primitives

// Avro floats and doubles are little-endian; so are typed arrays on almost every platform.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const SCRATCH = new ArrayBuffer(8);
const SCRATCH_BYTES = new Uint8Array(SCRATCH);
const SCRATCH_FLOAT = new Float32Array(SCRATCH, 0, 1);
const SCRATCH_DOUBLE = new Float64Array(SCRATCH);

export class AvroReader {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  // Made on first use: most records never need it.
  private nodeCache: Buffer | undefined;

  reset(bytes: Uint8Array, start: number): void {
    this.buf = bytes;
    this.pos = start;
    this.end = bytes.length;
    this.nodeCache = undefined;
  }

  private get node(): Buffer {
    return (this.nodeCache ??= Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength));
  }

  readInt(): number {
    const buf = this.buf;
    let b = buf[this.pos++];
    let n = b & 0x7f;
    let shift = 7;
    while (b > 0x7f) {
      if (shift > 28) throw new Error('Invalid int encoding');
      b = buf[this.pos++];
      n |= (b & 0x7f) << shift;
      shift += 7;
    }
    if (this.pos > this.end) throw truncated();
    return (n >>> 1) ^ -(n & 1);
  }

  /** A long as a JS number (exact up to 2^53). */
  readLongNumber(): number {
    const buf = this.buf;
    let b = buf[this.pos++];
    let n = b & 0x7f;
    let scale = 128;
    while (b > 0x7f) {
      b = buf[this.pos++];
      n += (b & 0x7f) * scale;
      scale *= 128;
      if (scale > 2 ** 70) throw new Error('Invalid long encoding');
    }
    if (this.pos > this.end) throw truncated();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  readLong(): bigint {
    const start = this.pos;
    const buf = this.buf;
    // Up to 7 bytes (49 bits) fit a double exactly.
    let count = 0;
    while (buf[start + count] > 0x7f) {
      count++;
      if (count > 9) throw new Error('Invalid long encoding');
    }
    if (count < 7) return BigInt(this.readLongNumber());
    let n = 0n;
    for (let i = count; i >= 0; i--) n = (n << 7n) | BigInt(buf[start + i] & 0x7f);
    this.pos = start + count + 1;
    if (this.pos > this.end) throw truncated();
    n = BigInt.asUintN(64, n);
    return BigInt.asIntN(64, (n >> 1n) ^ -(n & 1n));
  }

  readBoolean(): boolean {
    if (this.pos >= this.end) throw truncated();
    return this.buf[this.pos++] !== 0;
  }

  readFloat(): number {
    if (this.pos + 4 > this.end) throw truncated();
    const buf = this.buf;
    const p = this.pos;
    for (let i = 0; i < 4; i++) SCRATCH_BYTES[LITTLE_ENDIAN ? i : 3 - i] = buf[p + i];
    this.pos = p + 4;
    return SCRATCH_FLOAT[0];
  }

  readDouble(): number {
    if (this.pos + 8 > this.end) throw truncated();
    const buf = this.buf;
    const p = this.pos;
    for (let i = 0; i < 8; i++) SCRATCH_BYTES[LITTLE_ENDIAN ? i : 7 - i] = buf[p + i];
    this.pos = p + 8;
    return SCRATCH_DOUBLE[0];
  }

  private length(): number {
    const n = this.readLongNumber();
    if (n < 0) throw new Error(`Malformed data. Length is negative: ${n}`);
    if (this.pos + n > this.end) throw truncated();
    return n;
  }

  readBytes(): Uint8Array {
    const n = this.length();
    const out = bytesValue(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  readFixed(size: number): Uint8Array {
    if (this.pos + size > this.end) throw truncated();
    const out = bytesValue(this.buf, this.pos, this.pos + size);
    this.pos += size;
    return out;
  }

  readString(): string {
    const n = this.length();
    const start = this.pos;
    this.pos += n;
    if (n < 24) {
      const buf = this.buf;
      let s = '';
      for (let i = start; i < start + n; i++) {
        const c = buf[i];
        if (c > 0x7f) return this.node.toString('utf8', start, start + n);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.node.toString('utf8', start, start + n);
  }

  skipBytes(): void {
    const n = this.length();
    this.pos += n;
  }

  skip(n: number): void {
    if (this.pos + n > this.end) throw truncated();
    this.pos += n;
  }
}

function truncated(): Error {
  return new Error('Avro data ended early (truncated record)');
}

const utf8 = new TextEncoder();

export class AvroWriter {
  buf = new Uint8Array(256);
  pos = 0;
  private view = new DataView(this.buf.buffer);

  reset(start: number): void {
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
    this.view = new DataView(next.buffer);
  }

  /** A copy of what was written. */
  result(): Uint8Array {
    return copyBytes(this.buf, 0, this.pos);
  }

  writeInt(v: number): void {
    this.ensure(5);
    let n = ((v << 1) ^ (v >> 31)) >>> 0;
    const buf = this.buf;
    while (n > 0x7f) {
      buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[this.pos++] = n;
  }

  writeLong(v: bigint | number): void {
    if (typeof v === 'number') {
      if (Number.isSafeInteger(v)) return this.writeSafeLong(v);
      v = BigInt(Math.trunc(v));
    }
    if (v >= -9007199254740991n && v <= 9007199254740991n) return this.writeSafeLong(Number(v));
    this.ensure(10);
    let n = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    const buf = this.buf;
    while (n > 0x7fn) {
      buf[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    buf[this.pos++] = Number(n);
  }

  private writeSafeLong(v: number): void {
    this.ensure(10);
    let n = v >= 0 ? v * 2 : -v * 2 - 1;
    const buf = this.buf;
    while (n > 0x7f) {
      buf[this.pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[this.pos++] = n;
  }

  writeBoolean(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  writeFloat(v: number): void {
    this.ensure(4);
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
  }

  writeDouble(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  writeBytes(v: Uint8Array): void {
    this.writeLong(v.length);
    this.writeFixed(v);
  }

  writeFixed(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  writeString(s: string): void {
    const n = s.length;
    if (n < 64) {
      this.ensure(n + 1);
      const buf = this.buf;
      let p = this.pos + 1;
      let ascii = true;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) {
          ascii = false;
          break;
        }
        buf[p++] = c;
      }
      if (ascii) {
        buf[this.pos] = n << 1;
        this.pos = p;
        return;
      }
    }
    const bytes = Buffer.byteLength(s, 'utf8');
    this.writeLong(bytes);
    this.ensure(bytes);
    utf8.encodeInto(s, this.buf.subarray(this.pos, this.pos + bytes));
    this.pos += bytes;
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding

export type AvroDecode = (r: AvroReader) => unknown;

/** The columns a row reader fills, in order, when the writer's root is a record. */
export interface RowTarget {
  readonly names: readonly string[];
  readonly types: readonly SqlType[];
}

/** Compile-time mismatch between writer schema and column type (fails every record). */
export class AvroMismatchError extends Error {}

/**
 * A reader of the writer's root into a row: record fields into the columns (wrapped), or the
 * whole value into the one column (unwrapped). Null root -> null row.
 */
export function compileRowDecoder(
  writer: AvroNode,
  columns: readonly { name: string; type: SqlType }[],
  wrapped: boolean,
): (r: AvroReader) => unknown[] | null {
  if (!wrapped) {
    const decode = compileDecoder(writer, columns[0].type, '');
    return (r) => {
      const v = decode(r);
      return v === null ? null : [v];
    };
  }
  const struct: SqlType = { kind: 'STRUCT', fields: columns };
  const optional = optionalBranch(writer);
  if (optional) {
    // A nullable root record: null is a null row.
    const decode = compileStructLike(optional, struct, '', true);
    const nullIndex = writer.kind === 'union' && writer.branches[0].kind === 'null' ? 0 : 1;
    return (r) => (r.readInt() === nullIndex ? null : (decode(r) as unknown[]));
  }
  const decode = compileStructLike(writer, struct, '', true);
  return (r) => decode(r) as unknown[] | null;
}

function mismatch(writer: AvroNode, target: SqlType, path: string): AvroMismatchError {
  return new AvroMismatchError(
    `Cannot deserialize type ${connectTypeName(writer)} as type ${connectTargetName(target)} for path: ${path}`,
  );
}

function connectTargetName(t: SqlType): string {
  switch (t.kind) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      return 'int32';
    case 'BIGINT':
    case 'TIMESTAMP':
      return 'int64';
    case 'DOUBLE':
      return 'float64';
    case 'STRING':
      return 'string';
    case 'BYTES':
    case 'DECIMAL':
      return 'bytes';
    case 'ARRAY':
      return 'array';
    case 'MAP':
      return 'map';
    case 'STRUCT':
      return 'struct';
    default: {
      const unreachable: never = t;
      throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
    }
  }
}

/** A reader that consumes a value of `writer` and returns it as `target` (null target: skip it). */
export function compileDecoder(writer: AvroNode, target: SqlType | null, path: string): AvroDecode {
  if (target === null) return compileSkipper(writer);
  switch (writer.kind) {
    case 'null':
      return () => null;
    case 'union':
      return compileUnionDecoder(writer, target, path);
    case 'boolean':
      if (target.kind === 'BOOLEAN') return (r) => r.readBoolean();
      if (target.kind === 'STRING') return (r) => String(r.readBoolean());
      throw mismatch(writer, target, path);
    case 'int':
      switch (target.kind) {
        case 'INTEGER':
        case 'DATE':
        case 'TIME':
          return (r) => r.readInt();
        case 'BIGINT':
          return (r) => BigInt(r.readInt());
        case 'TIMESTAMP':
          return (r) => r.readInt();
        case 'STRING':
          return (r) => String(r.readInt());
        default:
          throw mismatch(writer, target, path);
      }
    case 'long':
      switch (target.kind) {
        case 'BIGINT':
          return (r) => r.readLong();
        case 'TIMESTAMP':
          return (r) => r.readLongNumber();
        case 'STRING':
          return (r) => r.readLong().toString();
        default:
          throw mismatch(writer, target, path);
      }
    case 'float':
      if (target.kind === 'DOUBLE') return (r) => r.readFloat();
      if (target.kind === 'STRING') return (r) => formatFloat(r.readFloat());
      throw mismatch(writer, target, path);
    case 'double':
      if (target.kind === 'DOUBLE') return (r) => r.readDouble();
      if (target.kind === 'STRING') return (r) => formatDouble(r.readDouble());
      throw mismatch(writer, target, path);
    case 'string':
      if (target.kind === 'STRING') return (r) => r.readString();
      throw mismatch(writer, target, path);
    case 'enum': {
      if (target.kind !== 'STRING') throw mismatch(writer, target, path);
      const symbols = writer.symbols;
      return (r) => {
        const i = r.readInt();
        if (i < 0 || i >= symbols.length) throw new Error(`Invalid enum index ${i}`);
        return symbols[i];
      };
    }
    case 'bytes':
    case 'fixed': {
      const read = writer.kind === 'fixed' ? fixedReader(writer.size) : (r: AvroReader) => r.readBytes();
      if (target.kind === 'BYTES') return read;
      if (target.kind === 'DECIMAL' && writer.decimal) {
        const scale = writer.decimal.scale;
        const targetScale = target.scale;
        return (r) => {
          const d = new Decimal(bytesToBigint(read(r)), scale);
          return scale === targetScale ? d : d.setScale(targetScale, 'HALF_UP');
        };
      }
      throw mismatch(writer, target, path);
    }
    case 'array': {
      const entry = mapEntryOf(writer);
      if (entry) {
        if (target.kind !== 'MAP') throw mismatch(writer, target, path);
        return compileMapEntryDecoder(entry, target, path);
      }
      if (target.kind !== 'ARRAY') throw mismatch(writer, target, path);
      const item = compileDecoder(writer.items, target.item, `${path}->ARRAY`);
      return (r) => {
        const out: unknown[] = [];
        readBlocks(r, () => out.push(item(r)));
        return out;
      };
    }
    case 'map': {
      if (target.kind !== 'MAP') throw mismatch(writer, target, path);
      const key = stringTo(target.key, `${path}->MAP_KEY`);
      const value = compileDecoder(writer.values, target.value, `${path}->MAP_VAL`);
      return (r) => {
        const out = new Map<unknown, unknown>();
        readBlocks(r, () => {
          const k = key(r.readString());
          out.set(k, value(r));
        });
        return out;
      };
    }
    case 'record':
      return compileStructLike(writer, target, path, false);
    default: {
      const unreachable: never = writer;
      throw new Error(`Unknown Avro node ${JSON.stringify(unreachable)}`);
    }
  }
}

function fixedReader(size: number): (r: AvroReader) => Uint8Array {
  return (r) => r.readFixed(size);
}

function readBlocks(r: AvroReader, readItem: () => void): void {
  for (;;) {
    let count = r.readLongNumber();
    if (count === 0) return;
    if (count < 0) {
      count = -count;
      r.readLongNumber(); // block size in bytes
    }
    for (let i = 0; i < count; i++) readItem();
  }
}

// A map key (always a string in Avro) converted to the column's key type.
function stringTo(target: SqlType, path: string): (s: string) => unknown {
  if (target.kind === 'STRING') return (s) => s;
  throw new AvroMismatchError(`Cannot deserialize type string as type ${connectTargetName(target)} for path: ${path}`);
}

function compileMapEntryDecoder(entry: AvroRecord, target: Extract<SqlType, { kind: 'MAP' }>, path: string): AvroDecode {
  const readers = entry.fields.map((f) => {
    if (f.name === 'key') return compileDecoder(f.type, target.key, `${path}->MAP_KEY`);
    if (f.name === 'value') return compileDecoder(f.type, target.value, `${path}->MAP_VAL`);
    return compileSkipper(f.type);
  });
  const keyIndex = entry.fields.findIndex((f) => f.name === 'key');
  const valueIndex = entry.fields.findIndex((f) => f.name === 'value');
  return (r) => {
    const out = new Map<unknown, unknown>();
    readBlocks(r, () => {
      let k: unknown = null;
      let v: unknown = null;
      for (let i = 0; i < readers.length; i++) {
        const x = readers[i](r);
        if (i === keyIndex) k = x;
        else if (i === valueIndex) v = x;
      }
      out.set(k, v);
    });
    return out;
  };
}

function compileUnionDecoder(writer: Extract<AvroNode, { kind: 'union' }>, target: SqlType, path: string): AvroDecode {
  const optional = optionalBranch(writer);
  if (optional) {
    const value = compileDecoder(optional, target, path);
    const nullIndex = writer.branches[0].kind === 'null' ? 0 : 1;
    return (r) => {
      const i = r.readInt();
      if (i === nullIndex) return null;
      if (i !== 1 - nullIndex) throw new Error(`Invalid union index ${i}`);
      return value(r);
    };
  }
  // A general union is a STRUCT with a field per non-null branch (AvroData).
  return compileStructLike(writer, target, path, false);
}

/**
 * A record (or general union) read into a STRUCT target: as a Struct object, or as a row
 * array when `asRow` (the top-level columns).
 */
function compileStructLike(writer: AvroNode, target: SqlType, path: string, asRow: boolean): AvroDecode {
  const members = structMembers(writer);
  if (!members || target.kind !== 'STRUCT') throw mismatch(writer, target, path);
  const fieldNames = target.fields.map((f) => f.name);
  const index = new Map<string, number>();
  fieldNames.forEach((name, i) => index.set(name, i));
  // ksqlDB matches each writer field to a column by exact name, else upper-cased.
  const readers: { at: number; read: AvroDecode }[] = members.map((m) => {
    let at = index.get(m.name);
    if (at === undefined) at = index.get(m.name.toUpperCase());
    if (at === undefined) return { at: -1, read: compileSkipper(m.type) };
    const field = target.fields[at];
    return { at, read: compileDecoder(m.type, field.type, `${path}->${field.name}`) };
  });
  const n = fieldNames.length;
  const emptyStruct = (): Struct => {
    const s: Struct = {};
    for (let i = 0; i < n; i++) s[fieldNames[i]] = null;
    return s;
  };

  if (writer.kind === 'union') {
    const nullIndex = writer.branches.findIndex((b) => b.kind === 'null');
    const memberOf = writer.branches.map((b, i) => (b.kind === 'null' ? -1 : countNonNull(writer.branches, i)));
    return (r) => {
      const i = r.readInt();
      if (i < 0 || i >= memberOf.length) throw new Error(`Invalid union index ${i}`);
      if (i === nullIndex) return null;
      const { at, read } = readers[memberOf[i]];
      const value = read(r);
      if (asRow) {
        const row = new Array<unknown>(n).fill(null);
        if (at >= 0) row[at] = value;
        return row;
      }
      const s = emptyStruct();
      if (at >= 0) s[fieldNames[at]] = value;
      return s;
    };
  }

  if (asRow) {
    return (r) => {
      const row = new Array<unknown>(n).fill(null);
      for (let i = 0; i < readers.length; i++) {
        const { at, read } = readers[i];
        const v = read(r);
        if (at >= 0) row[at] = v;
      }
      return row;
    };
  }
  return (r) => {
    const s = emptyStruct();
    for (let i = 0; i < readers.length; i++) {
      const { at, read } = readers[i];
      const v = read(r);
      if (at >= 0) s[fieldNames[at]] = v;
    }
    return s;
  };
}

function countNonNull(branches: readonly AvroNode[], upTo: number): number {
  let count = 0;
  for (let i = 0; i < upTo; i++) if (branches[i].kind !== 'null') count++;
  return count;
}

/** The (name, type) members of a record, or of a general union seen as a Connect struct. */
function structMembers(node: AvroNode): { name: string; type: AvroNode }[] | undefined {
  if (node.kind === 'record') return node.fields.map((f) => ({ name: f.name, type: f.type }));
  if (node.kind === 'union' && !optionalBranch(node)) {
    return node.branches.filter((b) => b.kind !== 'null').map((b) => ({ name: unionBranchName(b), type: b }));
  }
  return undefined;
}

/** A reader that consumes a value of `node` and returns nothing. */
export function compileSkipper(node: AvroNode): AvroDecode {
  switch (node.kind) {
    case 'null':
      return () => null;
    case 'boolean':
      return (r) => {
        r.skip(1);
        return null;
      };
    case 'int':
    case 'long':
    case 'enum':
      return (r) => {
        r.readLongNumber();
        return null;
      };
    case 'float':
      return (r) => {
        r.skip(4);
        return null;
      };
    case 'double':
      return (r) => {
        r.skip(8);
        return null;
      };
    case 'bytes':
    case 'string':
      return (r) => {
        r.skipBytes();
        return null;
      };
    case 'fixed': {
      const size = node.size;
      return (r) => {
        r.skip(size);
        return null;
      };
    }
    case 'array': {
      let item: AvroDecode | undefined;
      return (r) => {
        item ??= compileSkipper(node.items);
        readBlocks(r, () => item!(r));
        return null;
      };
    }
    case 'map': {
      let value: AvroDecode | undefined;
      return (r) => {
        value ??= compileSkipper(node.values);
        readBlocks(r, () => {
          r.skipBytes();
          value!(r);
        });
        return null;
      };
    }
    case 'record': {
      // Lazily, so that recursive records compile.
      let fields: AvroDecode[] | undefined;
      return (r) => {
        fields ??= node.fields.map((f) => compileSkipper(f.type));
        for (const f of fields) f(r);
        return null;
      };
    }
    case 'union': {
      let branches: AvroDecode[] | undefined;
      return (r) => {
        branches ??= node.branches.map(compileSkipper);
        const i = r.readInt();
        if (i < 0 || i >= branches.length) throw new Error(`Invalid union index ${i}`);
        return branches[i](r);
      };
    }
    default: {
      const unreachable: never = node;
      throw new Error(`Unknown Avro node ${JSON.stringify(unreachable)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

export type AvroEncode = (w: AvroWriter, value: unknown) => void;

/**
 * A writer of SQL values of `source` as Avro of `schema`. For ksqlDB's own schemas the two
 * match exactly; for a registered schema given by id (VALUE_SCHEMA_ID) record fields match
 * by name, fields the row lacks take their default (or null), and unions take the first
 * branch that fits. Throws SerdeConfig-type problems as AvroMismatchError at compile time.
 */
export function compileEncoder(schema: AvroNode, source: SqlType, path: string): AvroEncode {
  switch (schema.kind) {
    case 'union':
      return compileUnionEncoder(schema, source, path);
    case 'null':
      return (_w, v) => {
        if (v !== null && v !== undefined) throw new CoercionError('Expected null', path);
      };
    case 'boolean':
      if (source.kind !== 'BOOLEAN') break;
      return (w, v) => w.writeBoolean(v as boolean);
    case 'int':
      if (source.kind !== 'INTEGER' && source.kind !== 'DATE' && source.kind !== 'TIME') break;
      return (w, v) => w.writeInt(v as number);
    case 'long':
      if (source.kind === 'BIGINT' || source.kind === 'TIMESTAMP' || source.kind === 'INTEGER') {
        return (w, v) => w.writeLong(v as bigint | number);
      }
      break;
    case 'float':
      if (source.kind !== 'DOUBLE') break;
      return (w, v) => w.writeFloat(v as number);
    case 'double':
      if (source.kind !== 'DOUBLE') break;
      return (w, v) => w.writeDouble(v as number);
    case 'string':
      if (source.kind !== 'STRING') break;
      return (w, v) => w.writeString(v as string);
    case 'enum': {
      if (source.kind !== 'STRING') break;
      const symbols = schema.symbols;
      return (w, v) => {
        const i = symbols.indexOf(v as string);
        if (i < 0) throw new CoercionError(`'${String(v)}' is not a symbol of enum ${schema.name}`, path);
        w.writeInt(i);
      };
    }
    case 'bytes':
    case 'fixed': {
      const fixedSize = schema.kind === 'fixed' ? schema.size : -1;
      const put = (w: AvroWriter, bytes: Uint8Array): void => {
        if (fixedSize < 0) return w.writeBytes(bytes);
        if (bytes.length !== fixedSize) {
          throw new CoercionError(`Fixed size ${fixedSize} does not fit ${bytes.length} bytes`, path);
        }
        w.writeFixed(bytes);
      };
      if (source.kind === 'BYTES' && !schema.decimal) return (w, v) => put(w, v as Uint8Array);
      if (source.kind === 'DECIMAL' && schema.decimal) {
        const scale = schema.decimal.scale;
        return (w, v) => {
          const d = (v as Decimal).setScale(scale, 'HALF_UP');
          let bytes = bigintToBytes(d.unscaled);
          if (fixedSize > bytes.length) bytes = signExtend(bytes, fixedSize);
          put(w, bytes);
        };
      }
      break;
    }
    case 'array': {
      const entry = mapEntryOf(schema);
      if (entry && source.kind === 'MAP') return compileMapEntryEncoder(entry, source, path);
      if (source.kind !== 'ARRAY' || entry) break;
      const item = compileEncoder(schema.items, source.item, `${path}->ARRAY`);
      return (w, v) => {
        const items = v as readonly unknown[];
        if (items.length > 0) {
          w.writeLong(items.length);
          for (const x of items) item(w, x ?? null);
        }
        w.writeLong(0);
      };
    }
    case 'map': {
      if (source.kind !== 'MAP') break;
      const value = compileEncoder(schema.values, source.value, `${path}->MAP_VAL`);
      return (w, v) => {
        const map = v as ReadonlyMap<unknown, unknown>;
        if (map.size > 0) {
          w.writeLong(map.size);
          for (const [k, x] of map) {
            w.writeString(String(k));
            value(w, x ?? null);
          }
        }
        w.writeLong(0);
      };
    }
    case 'record':
      if (source.kind !== 'STRUCT') break;
      return compileRecordEncoder(schema, source.fields, path, false);
    default: {
      const unreachable: never = schema;
      throw new Error(`Unknown Avro node ${JSON.stringify(unreachable)}`);
    }
  }
  throw new AvroMismatchError(
    `Cannot write ${formatType(source)} as Avro type ${connectTypeName(schema)} for path: ${path || '$'}`,
  );
}

function signExtend(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size).fill(bytes[0] & 0x80 ? 0xff : 0);
  out.set(bytes, size - bytes.length);
  return out;
}

function fits(schema: AvroNode, source: SqlType): boolean {
  try {
    compileEncoder(schema, source, '');
    return true;
  } catch (e) {
    if (e instanceof AvroMismatchError) return false;
    throw e;
  }
}

function compileUnionEncoder(schema: Extract<AvroNode, { kind: 'union' }>, source: SqlType, path: string): AvroEncode {
  const nullIndex = schema.branches.findIndex((b) => b.kind === 'null');
  const valueIndex = schema.branches.findIndex((b) => b.kind !== 'null' && fits(b, source));
  if (valueIndex < 0) {
    throw new AvroMismatchError(`Cannot write ${formatType(source)} as any branch of an Avro union for path: ${path || '$'}`);
  }
  const value = compileEncoder(schema.branches[valueIndex], source, path);
  return (w, v) => {
    if (v === null || v === undefined) {
      if (nullIndex < 0) throw new CoercionError('Null value for a field the schema does not allow to be null', path || '$');
      w.writeInt(nullIndex);
      return;
    }
    w.writeInt(valueIndex);
    value(w, v);
  };
}

function compileMapEntryEncoder(entry: AvroRecord, source: Extract<SqlType, { kind: 'MAP' }>, path: string): AvroEncode {
  const parts = entry.fields.map((f) => {
    if (f.name === 'key') return { kind: 'key' as const, encode: compileEncoder(f.type, source.key, `${path}->MAP_KEY`) };
    if (f.name === 'value') {
      return { kind: 'value' as const, encode: compileEncoder(f.type, source.value, `${path}->MAP_VAL`) };
    }
    return { kind: 'default' as const, encode: defaultEncoder(f, path) };
  });
  return (w, v) => {
    const map = v as ReadonlyMap<unknown, unknown>;
    if (map.size > 0) {
      w.writeLong(map.size);
      for (const [k, x] of map) {
        for (const p of parts) {
          if (p.kind === 'key') p.encode(w, k);
          else if (p.kind === 'value') p.encode(w, x ?? null);
          else p.encode(w, null);
        }
      }
    }
    w.writeLong(0);
  };
}

/**
 * A record from named values: a Struct (`asRow` false) or a row array (`asRow` true, the
 * top-level columns). Fields are matched by name (column names with '.' read as '_').
 */
export function compileRecordEncoder(
  schema: AvroRecord,
  fields: readonly { name: string; type: SqlType }[],
  path: string,
  asRow: boolean,
): AvroEncode {
  const avroNames = fields.map((f) => f.name.replaceAll('.', '_'));
  const parts = schema.fields.map((f) => {
    const at = avroNames.indexOf(f.name);
    if (at >= 0) {
      return { at, name: fields[at].name, encode: compileEncoder(f.type, fields[at].type, `${path}->${f.name}`) };
    }
    return { at: -1, name: f.name, encode: defaultEncoder(f, path) };
  });
  if (asRow) {
    return (w, v) => {
      const row = v as readonly unknown[];
      for (const p of parts) p.encode(w, p.at >= 0 ? (row[p.at] ?? null) : null);
    };
  }
  return (w, v) => {
    const s = v as Struct;
    for (const p of parts) p.encode(w, p.at >= 0 ? (s[p.name] ?? null) : null);
  };
}

// A field the row does not have: its default, or null when it may be null.
function defaultEncoder(field: AvroField, path: string): AvroEncode {
  if (field.hasDefault) {
    const w = new AvroWriter();
    encodeDefault(w, field.type, field.default, `${path}->${field.name}`);
    const bytes = w.result();
    return (out) => out.writeFixed(bytes);
  }
  if (field.type.kind === 'union') {
    const nullIndex = field.type.branches.findIndex((b) => b.kind === 'null');
    if (nullIndex >= 0) return (w) => w.writeInt(nullIndex);
  }
  if (field.type.kind === 'null') return () => {};
  throw new AvroMismatchError(
    `Missing default value for required Avro field: [${field.name}]. This field appears in Avro schema in Schema Registry`,
  );
}

/** Encode a schema default (JSON, per the Avro spec: a union's default is of its first branch). */
export function encodeDefault(w: AvroWriter, node: AvroNode, value: unknown, path: string): void {
  switch (node.kind) {
    case 'null':
      return;
    case 'boolean':
      return w.writeBoolean(Boolean(value));
    case 'int':
      return w.writeInt(Number(value));
    case 'long':
      return w.writeLong(BigInt(Math.trunc(Number(value))));
    case 'float':
      return w.writeFloat(Number(value));
    case 'double':
      return w.writeDouble(Number(value));
    case 'string':
      return w.writeString(String(value));
    case 'bytes':
      return w.writeBytes(latin1Bytes(String(value)));
    case 'fixed':
      return w.writeFixed(latin1Bytes(String(value)));
    case 'enum': {
      const i = node.symbols.indexOf(String(value));
      if (i < 0) throw new AvroMismatchError(`Invalid default ${JSON.stringify(value)} for enum at ${path}`);
      return w.writeInt(i);
    }
    case 'array': {
      const items = (value as unknown[]) ?? [];
      if (items.length > 0) {
        w.writeLong(items.length);
        for (const x of items) encodeDefault(w, node.items, x, path);
      }
      return w.writeLong(0);
    }
    case 'map': {
      const entries = Object.entries((value as Record<string, unknown>) ?? {});
      if (entries.length > 0) {
        w.writeLong(entries.length);
        for (const [k, x] of entries) {
          w.writeString(k);
          encodeDefault(w, node.values, x, path);
        }
      }
      return w.writeLong(0);
    }
    case 'record': {
      const obj = (value as Record<string, unknown>) ?? {};
      for (const f of node.fields) {
        const x = Object.prototype.hasOwnProperty.call(obj, f.name) ? obj[f.name] : f.default;
        encodeDefault(w, f.type, x, path);
      }
      return;
    }
    case 'union':
      w.writeInt(0);
      return encodeDefault(w, node.branches[0], value, path);
    default: {
      const unreachable: never = node;
      throw new Error(`Unknown Avro node ${JSON.stringify(unreachable)}`);
    }
  }
}

function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}
