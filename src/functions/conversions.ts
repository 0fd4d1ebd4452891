/**
 * CONVERSIONS: numbers from their big- or little-endian bytes (ksqlDB's udf/conversions).
 */
import type { FunctionDefinition, ScalarFunctionDefinition } from './types.js';

type Bytes = Uint8Array;

/** BytesUtils.byteOrderType: BIG_ENDIAN or LITTLE_ENDIAN, any case; NULL or anything else fails. */
function littleEndian(order: string | null): boolean {
  const upper = order?.toUpperCase();
  if (upper === 'BIG_ENDIAN') return false;
  if (upper === 'LITTLE_ENDIAN') return true;
  throw new Error(`Byte order must be BIG_ENDIAN or LITTLE_ENDIAN. Unknown byte order '${order}'.`);
}

function view(bytes: Bytes, size: number): DataView {
  if (bytes.length !== size) throw new Error(`Number of bytes must be equal to ${size}, but found ${bytes.length}`);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function fromBytes(
  name: string,
  returns: string,
  description: string,
  read: (bytes: Bytes, little: boolean) => unknown,
): ScalarFunctionDefinition {
  return {
    kind: 'SCALAR',
    name,
    category: 'CONVERSIONS',
    description,
    variants: [
      { params: ['BYTES'], paramNames: ['value'], returns, impl: (value: Bytes) => read(value, false) },
      {
        params: ['BYTES', 'STRING'],
        paramNames: ['value', 'byteOrder'],
        returns,
        nulls: 'pass',
        impl: (value: Bytes | null, byteOrder: string | null) => {
          const little = littleEndian(byteOrder);
          return value === null ? null : read(value, little);
        },
      },
    ],
  };
}

export const FUNCTIONS: FunctionDefinition[] = [
  fromBytes('int_from_bytes', 'INTEGER', 'Converts a BYTES value to an INT value.', (b, little) => view(b, 4).getInt32(0, little)),
  fromBytes('bigint_from_bytes', 'BIGINT', 'Converts a BYTES value to an BIGINT value.', (b, little) => view(b, 8).getBigInt64(0, little)),
  fromBytes('double_from_bytes', 'DOUBLE', 'Converts a BYTES value to a DOUBLE type.', (b, little) => view(b, 8).getFloat64(0, little)),
];
