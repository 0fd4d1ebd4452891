/**
 * UTF-8 and base64 as the Java side does them, and byte arrays cheap to allocate.
 *
 * Serializers return Node Buffers (Uint8Arrays) taken from Node's pool, as Buffer.from does:
 * a fresh ArrayBuffer per record costs several times more than the encoding itself. A result
 * may therefore be a view into a shared ArrayBuffer; use its byteOffset/byteLength.
 */
import { decodeBase64 } from '../schema/index.js';

const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** String.getBytes(UTF_8): a lone surrogate becomes '?', as Java's encoder replaces it. */
export function encodeUtf8(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  // One byte per character: all ASCII, so no surrogate to look for.
  if (bytes.length === text.length || !SURROGATE.test(text)) return bytes;
  return Buffer.from(text.replace(LONE_SURROGATE, '?'), 'utf8');
}

/** Bytes of `size`, uninitialised, from Node's pool when small. */
export function allocate(size: number): Buffer {
  return Buffer.allocUnsafe(size);
}

/** new String(bytes, UTF_8): malformed sequences become U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, start = 0): string {
  return lenientDecoder.decode(start === 0 ? bytes : bytes.subarray(start));
}

/** UTF-8 that must be well formed (Jackson rejects malformed input); throws TypeError otherwise. */
export function decodeUtf8Strict(bytes: Uint8Array, start = 0): string {
  const view = start === 0 ? bytes : bytes.subarray(start);
  const text = lenientDecoder.decode(view);
  // The strict decoder is twice as slow; only a replacement character can hide an error.
  return text.includes('\ufffd') ? strictDecoder.decode(view) : text;
}

/** java.util.Base64.getEncoder(): standard alphabet, padded. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Strict standard base64 (padding optional); throws SqlValueError on bad input. */
export function decodeBase64Strict(text: string): Uint8Array {
  return decodeBase64(text);
}

/** A BYTES value: a plain Uint8Array copy (as the schema layer's values are), not a pooled view. */
export function bytesValue(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
  return out;
}

/** A copy, so callers may keep the result while the source buffer is reused. */
export function copyBytes(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  const out = Buffer.allocUnsafe(end - start);
  out.set(bytes.subarray(start, end));
  return out;
}
