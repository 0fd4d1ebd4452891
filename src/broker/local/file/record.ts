/**
 * The on-disk record: length-prefixed and CRC32C-checksummed, little-endian.
 *
 *   u32 size            bytes after this field
 *   u32 crc             CRC-32C of the `size - 4` bytes after it
 *   u8  type            0 data record, 1 seal marker (segment rolled)
 *   u8  flags           0
 *   u64 offset          (two u32, low first) for a seal: the next segment's base
 *   u64 timestamp       epoch ms
 *   i32 key length      -1 for null, then the key bytes
 *   i32 value length    -1 for null, then the value bytes
 *   u32 header count    then per header: u32 key length, UTF-8 key,
 *                       i32 value length (-1 null), value bytes
 *
 * Decoded records are views into the read buffer (no copy); a record is
 * valid only when whole and its checksum matches.
 */

import type { ConsumedRecord, Header, ProducerRecord } from '../../port.js';
import { crc32c } from './crc32c.js';

export const TYPE_DATA = 0;
export const TYPE_SEAL = 1;
/** Bytes of a record with null key and value and no headers. */
export const RECORD_OVERHEAD = 38;
/** Largest record accepted (the size field must stay far from 2^32). */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;
const TWO_32 = 0x1_0000_0000;

const NO_HEADERS: readonly Header[] = Object.freeze([]);

/** Bytes a record takes on disk, the size field included. */
export function encodedSize(r: ProducerRecord): number {
  let n = RECORD_OVERHEAD;
  if (r.key !== null) n += r.key.length;
  if (r.value !== null) n += r.value.length;
  const headers = r.headers;
  if (headers !== undefined) {
    for (let i = 0; i < headers.length; i++) {
      const h = headers[i]!;
      n += 8 + Buffer.byteLength(h.key, 'utf8');
      if (h.value !== null) n += h.value.length;
    }
  }
  return n;
}

function put32(buf: Uint8Array, p: number, v: number): void {
  buf[p] = v;
  buf[p + 1] = v >>> 8;
  buf[p + 2] = v >>> 16;
  buf[p + 3] = v >>> 24;
}

function put64(buf: Uint8Array, p: number, v: number): void {
  put32(buf, p, v % TWO_32);
  put32(buf, p + 4, Math.floor(v / TWO_32));
}

const u32 = (b: Uint8Array, p: number): number => (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
const i32 = (b: Uint8Array, p: number): number => b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
const u64 = (b: Uint8Array, p: number): number => u32(b, p) + u32(b, p + 4) * TWO_32;

/** Encode a data record at pos (encodedSize(r) bytes); returns the position after it. */
export function encodeRecord(buf: Buffer, pos: number, offset: number, r: ProducerRecord): number {
  const start = pos;
  pos += 8;
  buf[pos++] = TYPE_DATA;
  buf[pos++] = 0;
  put64(buf, pos, offset);
  put64(buf, pos + 8, r.timestamp);
  pos += 16;
  const key = r.key;
  if (key === null) {
    put32(buf, pos, -1);
    pos += 4;
  } else {
    put32(buf, pos, key.length);
    buf.set(key, pos + 4);
    pos += 4 + key.length;
  }
  const value = r.value;
  if (value === null) {
    put32(buf, pos, -1);
    pos += 4;
  } else {
    put32(buf, pos, value.length);
    buf.set(value, pos + 4);
    pos += 4 + value.length;
  }
  const headers = r.headers;
  const count = headers === undefined ? 0 : headers.length;
  put32(buf, pos, count);
  pos += 4;
  for (let i = 0; i < count; i++) {
    const h = headers![i]!;
    const written = buf.write(h.key, pos + 4, 'utf8');
    put32(buf, pos, written);
    pos += 4 + written;
    if (h.value === null) {
      put32(buf, pos, -1);
      pos += 4;
    } else {
      put32(buf, pos, h.value.length);
      buf.set(h.value, pos + 4);
      pos += 4 + h.value.length;
    }
  }
  put32(buf, start, pos - start - 4);
  put32(buf, start + 4, crc32c(buf, start + 8, pos));
  return pos;
}

/** A seal marker: written last into a segment when the log rolls to the next one. */
export function encodeSeal(nextOffset: number, timestamp: number): Buffer {
  const buf = Buffer.alloc(RECORD_OVERHEAD);
  buf[8] = TYPE_SEAL;
  put64(buf, 10, nextOffset);
  put64(buf, 18, timestamp);
  put32(buf, 26, -1);
  put32(buf, 30, -1);
  put32(buf, 34, 0);
  put32(buf, 0, RECORD_OVERHEAD - 4);
  put32(buf, 4, crc32c(buf, 8, RECORD_OVERHEAD));
  return buf;
}

/** Why a walk over records stopped. */
export type Stop =
  /** At the end of the bytes given, on a record boundary. */
  | 'end'
  /** The next record is not whole in the bytes given (read more, or a torn write). */
  | 'partial'
  /** The next record is whole but damaged (checksum or framing). */
  | 'bad'
  /** A seal marker: the segment ends here; `sealNext` is the next base offset. */
  | 'seal';

export interface Walk {
  /** Position after the last valid record (or seal marker). */
  pos: number;
  stop: Stop;
  /** Bytes the next record needs in all (size field included), when partial and known. */
  need: number;
  reason: string;
  sealNext: number;
  /** The offset field of a bad record, when its header is readable. */
  badOffset: number | null;
}

/** Told about each valid data record a walk passes. */
export interface RecordVisitor {
  note(position: number, offset: number, timestamp: number, size: number): void;
}

/**
 * Check one record at pos: 0 when valid, else why not. Reads size, checksum
 * and the framing of key, value and headers against the size.
 */
function check(buf: Uint8Array, pos: number, size: number): string | undefined {
  if (size < RECORD_OVERHEAD - 4 || size > MAX_RECORD_BYTES) return `invalid record size ${size}`;
  const end = pos + 4 + size;
  if (crc32c(buf, pos + 8, end) !== u32(buf, pos + 4)) return 'checksum mismatch';
  const type = buf[pos + 8];
  if (type !== TYPE_DATA && type !== TYPE_SEAL) return `unknown record type ${type}`;
  let p = pos + 26;
  const keyLen = i32(buf, p);
  p += 4 + (keyLen > 0 ? keyLen : 0);
  if (keyLen < -1 || p + 4 > end) return 'key overruns the record';
  const valueLen = i32(buf, p);
  p += 4 + (valueLen > 0 ? valueLen : 0);
  if (valueLen < -1 || p + 4 > end) return 'value overruns the record';
  let count = u32(buf, p);
  p += 4;
  while (count-- > 0) {
    if (p + 4 > end) return 'headers overrun the record';
    p += 4 + u32(buf, p);
    if (p + 4 > end) return 'headers overrun the record';
    const hl = i32(buf, p);
    if (hl < -1) return 'headers overrun the record';
    p += 4 + (hl > 0 ? hl : 0);
  }
  if (p !== end) return 'record size does not match its fields';
  return undefined;
}

function stopAt(walk: Walk, buf: Uint8Array, pos: number, end: number): boolean {
  walk.pos = pos;
  if (end - pos < 4) {
    walk.stop = 'partial';
    walk.need = 4;
    return true;
  }
  const size = u32(buf, pos);
  if (size >= RECORD_OVERHEAD - 4 && size <= MAX_RECORD_BYTES && end - pos < 4 + size) {
    walk.stop = 'partial';
    walk.need = 4 + size;
    return true;
  }
  const reason = check(buf, pos, size);
  if (reason === undefined) return false;
  walk.stop = 'bad';
  walk.reason = reason;
  walk.need = 0;
  walk.badOffset = end - pos >= 18 ? u64(buf, pos + 10) : null;
  return true;
}

const newWalk = (pos: number): Walk => ({ pos, stop: 'end', need: 0, reason: '', sealNext: -1, badOffset: null });

/**
 * Validate records in buf[start, end) without decoding them, telling the
 * visitor about each; stops at the end, an incomplete or bad record, or a
 * seal marker.
 */
export function scan(buf: Uint8Array, start: number, end: number, visitor: RecordVisitor | null): Walk {
  const walk = newWalk(start);
  let pos = start;
  while (pos < end) {
    if (stopAt(walk, buf, pos, end)) return walk;
    const size = u32(buf, pos);
    if (buf[pos + 8] === TYPE_SEAL) {
      walk.pos = pos + 4 + size;
      walk.stop = 'seal';
      walk.sealNext = u64(buf, pos + 10);
      return walk;
    }
    visitor?.note(pos, u64(buf, pos + 10), u64(buf, pos + 18), 4 + size);
    pos += 4 + size;
  }
  walk.pos = pos;
  return walk;
}

/**
 * Validate and decode records in buf[start, end) into out (views into buf's
 * memory, so buf must not be reused), telling the visitor about each.
 */
export function decode(
  buf: Buffer,
  start: number,
  end: number,
  topic: string,
  partition: number,
  out: ConsumedRecord[],
  visitor: RecordVisitor | null,
): Walk {
  const walk = newWalk(start);
  const ab = buf.buffer;
  const base = buf.byteOffset;
  let pos = start;
  while (pos < end) {
    if (stopAt(walk, buf, pos, end)) return walk;
    const size = u32(buf, pos);
    if (buf[pos + 8] === TYPE_SEAL) {
      walk.pos = pos + 4 + size;
      walk.stop = 'seal';
      walk.sealNext = u64(buf, pos + 10);
      return walk;
    }
    const offset = u64(buf, pos + 10);
    const timestamp = u64(buf, pos + 18);
    let p = pos + 26;
    const keyLen = i32(buf, p);
    p += 4;
    let key: Uint8Array | null = null;
    if (keyLen >= 0) {
      key = new Uint8Array(ab, base + p, keyLen);
      p += keyLen;
    }
    const valueLen = i32(buf, p);
    p += 4;
    let value: Uint8Array | null = null;
    if (valueLen >= 0) {
      value = new Uint8Array(ab, base + p, valueLen);
      p += valueLen;
    }
    const count = u32(buf, p);
    p += 4;
    let headers = NO_HEADERS;
    if (count > 0) {
      const hs: Header[] = new Array(count);
      for (let i = 0; i < count; i++) {
        const kl = u32(buf, p);
        const hkey = buf.toString('utf8', p + 4, p + 4 + kl);
        p += 4 + kl;
        const vl = i32(buf, p);
        p += 4;
        let hvalue: Uint8Array | null = null;
        if (vl >= 0) {
          hvalue = new Uint8Array(ab, base + p, vl);
          p += vl;
        }
        hs[i] = { key: hkey, value: hvalue };
      }
      headers = hs;
    }
    out.push({ topic, partition, offset, key, value, timestamp, headers });
    visitor?.note(pos, offset, timestamp, 4 + size);
    pos += 4 + size;
  }
  walk.pos = pos;
  return walk;
}

/** The offset field and key of the record at pos (already validated), for compaction. */
export function keyAt(buf: Buffer, pos: number): { offset: number; key: string | null; tombstone: boolean } {
  const offset = u64(buf, pos + 10);
  const keyLen = i32(buf, pos + 26);
  const key = keyLen < 0 ? null : buf.toString('latin1', pos + 30, pos + 30 + keyLen);
  const valueLen = i32(buf, pos + 30 + (keyLen > 0 ? keyLen : 0));
  return { offset, key, tombstone: valueLen < 0 };
}

/** Whether the record at pos is a data record (not a seal marker). */
export const isData = (buf: Uint8Array, pos: number): boolean => buf[pos + 8] === TYPE_DATA;

export const readU32 = u32;
export const readU64 = u64;
export const writeU32 = put32;
export const writeU64 = put64;

/**
 * Encode records with offsets first, first+1, ... into one buffer; also the
 * records as consumers will see them (sharing the producer's byte arrays).
 */
export function encodeBatch(
  topic: string,
  partition: number,
  records: readonly ProducerRecord[],
  first: number,
): { buf: Buffer; consumed: ConsumedRecord[] } {
  let bytes = 0;
  for (const r of records) bytes += encodedSize(r);
  const buf = Buffer.allocUnsafe(bytes);
  const consumed: ConsumedRecord[] = new Array(records.length);
  let pos = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    pos = encodeRecord(buf, pos, first + i, r);
    const headers = r.headers === undefined || r.headers.length === 0 ? NO_HEADERS : r.headers.slice();
    consumed[i] = { topic, partition, offset: first + i, key: r.key, value: r.value, timestamp: r.timestamp, headers };
  }
  return { buf, consumed };
}

/** Byte position after the first n records of an encoded buffer. */
export function skipRecords(buf: Uint8Array, n: number): number {
  let pos = 0;
  for (let i = 0; i < n; i++) pos += 4 + u32(buf, pos);
  return pos;
}
