/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the
 * payload (Avro binary, JSON text, or Protobuf message indexes + message).
 */

export const MAGIC_BYTE = 0;
export const WIRE_HEADER_SIZE = 5;

/** A new array of header + payload. */
export function frame(schemaId: number, payload: Uint8Array, payloadLength = payload.length): Uint8Array {
  const out = new Uint8Array(WIRE_HEADER_SIZE + payloadLength);
  writeHeader(out, schemaId);
  out.set(payloadLength === payload.length ? payload : payload.subarray(0, payloadLength), WIRE_HEADER_SIZE);
  return out;
}

/** Write magic byte and id into the first five bytes of `out`. */
export function writeHeader(out: Uint8Array, schemaId: number): void {
  out[0] = MAGIC_BYTE;
  out[1] = (schemaId >>> 24) & 0xff;
  out[2] = (schemaId >>> 16) & 0xff;
  out[3] = (schemaId >>> 8) & 0xff;
  out[4] = schemaId & 0xff;
}

/** The schema id of framed bytes, or undefined when they do not start with the magic byte. */
export function readSchemaId(bytes: Uint8Array): number | undefined {
  if (bytes.length < WIRE_HEADER_SIZE || bytes[0] !== MAGIC_BYTE) return undefined;
  return ((bytes[1] << 24) | (bytes[2] << 16) | (bytes[3] << 8) | bytes[4]) >>> 0;
}
