/** Windowed record keys, byte-compatible with Kafka Streams' windowed serdes. */

/**
 * A windowed key as Kafka Streams writes it: the key, then the window start
 * (time windows), or the window end then start (session windows), 8 bytes each, big-endian.
 */
export function windowedKey(key: Uint8Array | null, window: { start: number; end: number }, session: boolean): Uint8Array {
  const k = key ?? new Uint8Array(0);
  const out = Buffer.allocUnsafe(k.length + (session ? 16 : 8));
  out.set(k, 0);
  if (session) {
    writeLong(out, window.end, k.length);
    writeLong(out, window.start, k.length + 8);
  } else writeLong(out, window.start, k.length);
  return out;
}

/** The key and window of a windowed key (see windowedKey). */
export function splitWindowedKey(bytes: Uint8Array, session: boolean, sizeMs?: number): { key: Uint8Array; start: number; end: number } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (session) {
    const at = b.length - 16;
    return { key: b.subarray(0, at), end: Number(b.readBigInt64BE(at)), start: Number(b.readBigInt64BE(at + 8)) };
  }
  const at = b.length - 8;
  const start = Number(b.readBigInt64BE(at));
  return { key: b.subarray(0, at), start, end: start + (sizeMs ?? 0) };
}


/** A non-negative epoch-millisecond time as a big-endian 64-bit integer, without BigInt. */
function writeLong(out: Buffer, n: number, at: number): void {
  out.writeUInt32BE(Math.floor(n / 4294967296), at);
  out.writeUInt32BE(n >>> 0, at + 4);
}
