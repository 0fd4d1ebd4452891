/**
 * KAFKA: one column written with Kafka's own Java serializers — INTEGER as a 4-byte
 * big-endian int (IntegerSerializer), BIGINT as 8 bytes (LongSerializer), DOUBLE as an 8-byte
 * IEEE double (DoubleSerializer), STRING as UTF-8 (StringSerializer), BYTES as they are
 * (ByteBufferSerializer). A null value is a null record. No columns: always null (Void).
 */
import { formatType, formatIdentifier } from '../schema/index.js';
import { allocate, bytesValue, copyBytes, decodeUtf8, encodeUtf8 } from './bytes.js';
import { DeserializationError, SerdeConfigError, SerializationError } from './errors.js';
import { createNoneSerde } from './none.js';
import type { RowSerde, SerdeColumn } from './types.js';

type Encode = (value: unknown) => Uint8Array;
type Decode = (bytes: Uint8Array) => unknown;

export function createKafkaSerde(columns: readonly SerdeColumn[], isKey: boolean): RowSerde {
  if (columns.length === 0) return createNoneSerde('KAFKA', isKey);
  if (columns.length > 1) {
    const got = columns.map((c) => `${formatIdentifier(c.name)} ${formatType(c.type)}`).join(', ');
    throw new SerdeConfigError(`The 'KAFKA' format only supports a single field. Got: [${got}]`);
  }
  const { encode, decode } = primitiveCodec(columns[0]);
  const target = isKey ? 'key' : 'value';
  return {
    format: 'KAFKA',
    isKey,
    serialize(row, topic) {
      if (row === null) return null;
      const value = row[0];
      if (value === null || value === undefined) return null;
      try {
        return encode(value);
      } catch (e) {
        throw new SerializationError(target, topic, (e as Error).message, { cause: e });
      }
    },
    deserialize(bytes, topic) {
      if (bytes === null) return null;
      try {
        return [decode(bytes)];
      } catch (e) {
        throw new DeserializationError(target, topic, (e as Error).message, { cause: e });
      }
    },
  };
}

function primitiveCodec(column: SerdeColumn): { encode: Encode; decode: Decode } {
  switch (column.type.kind) {
    case 'INTEGER':
      return {
        encode: (v) => {
          const out = allocate(4);
          out.writeInt32BE(asInt(v), 0);
          return out;
        },
        decode: (b) => {
          if (b.length !== 4) throw new Error('Size of data received by IntegerDeserializer is not 4');
          return view(b).getInt32(0);
        },
      };
    case 'BIGINT':
      return {
        encode: (v) => {
          const out = allocate(8);
          out.writeBigInt64BE(asLong(v), 0);
          return out;
        },
        decode: (b) => {
          if (b.length !== 8) throw new Error('Size of data received by LongDeserializer is not 8');
          return view(b).getBigInt64(0);
        },
      };
    case 'DOUBLE':
      return {
        encode: (v) => {
          if (typeof v !== 'number') throw new Error(`Expected a DOUBLE value, got ${typeof v}`);
          const out = allocate(8);
          out.writeDoubleBE(v, 0);
          return out;
        },
        decode: (b) => {
          if (b.length !== 8) throw new Error('Size of data received by Deserializer is not 8');
          return view(b).getFloat64(0);
        },
      };
    case 'STRING':
      return {
        encode: (v) => {
          if (typeof v !== 'string') throw new Error(`Expected a STRING value, got ${typeof v}`);
          return encodeUtf8(v);
        },
        decode: (b) => decodeUtf8(b),
      };
    case 'BYTES':
      return {
        encode: (v) => {
          if (!(v instanceof Uint8Array)) throw new Error(`Expected a BYTES value, got ${typeof v}`);
          return copyBytes(v);
        },
        decode: (b) => bytesValue(b),
      };
    default:
      throw new SerdeConfigError(`The 'KAFKA' format does not support type '${column.type.kind}'`);
  }
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function asInt(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`Expected an INTEGER value, got ${String(v)}`);
  return v;
}

function asLong(v: unknown): bigint {
  if (typeof v === 'bigint') return BigInt.asIntN(64, v);
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new Error(`Expected a BIGINT value, got ${String(v)}`);
}
