/**
 * A segment: one append-only file of records, named by its base offset (the
 * first offset it may hold, 20 digits as Kafka names them), with a sparse
 * index (one entry per INDEX_INTERVAL bytes) mapping offsets to positions,
 * so a read from any offset is a binary search plus a sequential read. The
 * index of the active segment lives in memory; a sealed segment's is written
 * beside it (`.index`) when it rolls and rebuilt from the log if it is
 * missing or does not match.
 */

import { join } from 'node:path';
import { CorruptRecordError } from '../../errors.js';
import { closeQuietly, errnoOf, guarded, io, readFully, readIfExists, writeFileAtomic } from './io.js';
import { readU32, readU64, scan, writeU32, writeU64, type RecordVisitor, type Walk } from './record.js';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
/** File header: magic "KSQLLOG", format version 1, then the base offset (u64). */
export const HEADER_BYTES = 16;
const MAGIC = Buffer.from('KSQLLOG\x01', 'latin1');
export const INDEX_INTERVAL = 4096;
const INDEX_MAGIC = 0x5844494b; // "KIDX"
const INDEX_HEADER = 48;
const INDEX_ENTRY = 16;
export const READ_CHUNK = 256 * 1024;

export const segmentFileName = (base: number): string => `${String(base).padStart(20, '0')}${LOG_SUFFIX}`;

/** The base offset of a segment file name, or undefined when it is not one. */
export function parseSegmentName(name: string): number | undefined {
  if (!name.endsWith(LOG_SUFFIX) || name.length !== 20 + LOG_SUFFIX.length) return undefined;
  const digits = name.slice(0, 20);
  if (!/^\d{20}$/.test(digits)) return undefined;
  const base = Number(digits);
  return Number.isSafeInteger(base) ? base : undefined;
}

export function segmentHeader(base: number): Buffer {
  const buf = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(buf, 0);
  writeU64(buf, 8, base);
  return buf;
}

/** Offsets to positions, one entry per INDEX_INTERVAL bytes; also the segment's last offset and newest timestamp. */
export class SparseIndex implements RecordVisitor {
  offsets: number[] = [];
  positions: number[] = [];
  lastOffset = -1;
  maxTimestamp = -1;
  private nextIndexed = 0;

  note(position: number, offset: number, timestamp: number): void {
    if (position >= this.nextIndexed) {
      this.offsets.push(offset);
      this.positions.push(position);
      this.nextIndexed = position + INDEX_INTERVAL;
    }
    this.lastOffset = offset;
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
  }

  /** Position to start reading for offset: the last entry at or before it. */
  lookup(offset: number): number {
    const offsets = this.offsets;
    let lo = 0;
    let hi = offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (offsets[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? HEADER_BYTES : this.positions[lo - 1]!;
  }

  serialize(segmentSize: number): Buffer {
    const n = this.offsets.length;
    const buf = Buffer.alloc(INDEX_HEADER + n * INDEX_ENTRY);
    writeU32(buf, 0, INDEX_MAGIC);
    writeU32(buf, 4, 1);
    writeU32(buf, 8, n);
    writeU64(buf, 16, segmentSize);
    writeU64(buf, 24, this.lastOffset + 1);
    writeU64(buf, 32, this.maxTimestamp + 1);
    for (let i = 0; i < n; i++) {
      writeU64(buf, INDEX_HEADER + i * INDEX_ENTRY, this.offsets[i]!);
      writeU32(buf, INDEX_HEADER + i * INDEX_ENTRY + 8, this.positions[i]!);
    }
    return buf;
  }

  /** The index in buf if it is whole and describes a segment of exactly segmentSize bytes. */
  static parse(buf: Buffer, segmentSize: number): SparseIndex | undefined {
    return SparseIndex.parsePrefix(buf, segmentSize, segmentSize);
  }

  /** The size of the segment the index in buf describes, if buf holds a whole index. */
  static coveredSize(buf: Buffer): number | undefined {
    if (buf.length < INDEX_HEADER || readU32(buf, 0) !== INDEX_MAGIC || readU32(buf, 4) !== 1) return undefined;
    return buf.length === INDEX_HEADER + readU32(buf, 8) * INDEX_ENTRY ? readU64(buf, 16) : undefined;
  }

  /**
   * The index in buf if it is whole and describes the first segmentSize bytes of a segment
   * whose file now holds fileSize (>= segmentSize) bytes.
   */
  static parsePrefix(buf: Buffer, segmentSize: number, fileSize: number): SparseIndex | undefined {
    if (SparseIndex.coveredSize(buf) !== segmentSize || segmentSize > fileSize) return undefined;
    const n = readU32(buf, 8);
    const index = new SparseIndex();
    index.lastOffset = readU64(buf, 24) - 1;
    index.maxTimestamp = readU64(buf, 32) - 1;
    let previous = -1;
    for (let i = 0; i < n; i++) {
      const offset = readU64(buf, INDEX_HEADER + i * INDEX_ENTRY);
      const position = readU32(buf, INDEX_HEADER + i * INDEX_ENTRY + 8);
      if (offset <= previous || position < HEADER_BYTES || position >= segmentSize) return undefined;
      previous = offset;
      index.offsets.push(offset);
      index.positions.push(position);
    }
    // Records noted after these go on from the last entry's spacing.
    if (n > 0) index.nextIndexed = index.positions[n - 1]! + INDEX_INTERVAL;
    return index;
  }
}

/** One segment file as this process knows it. */
export class Segment {
  readonly path: string;
  readonly indexPath: string;
  /** Bytes known whole and valid: the file size of a sealed segment, the scanned part of the active one. */
  size = HEADER_BYTES;
  /** Loaded lazily for sealed segments. */
  index: SparseIndex | undefined;
  /** The inode, to notice a file replaced by compaction in another process. */
  ino = 0;
  private fd: number | undefined;

  constructor(
    readonly dir: string,
    readonly base: number,
  ) {
    this.path = join(dir, segmentFileName(base));
    this.indexPath = this.path.slice(0, -LOG_SUFFIX.length) + INDEX_SUFFIX;
  }

  /** A read-only descriptor, opened on first use. */
  readFd(): number {
    if (this.fd === undefined) {
      this.fd = guarded('opening', this.path, () => io.open(this.path, 'r'));
      this.ino = guarded('reading', this.path, () => io.fstat(this.fd!).ino);
    }
    return this.fd;
  }

  /** Whether the file exists (with a read descriptor opened), false when not (yet). */
  tryOpen(): boolean {
    try {
      this.readFd();
      return true;
    } catch (e) {
      if (e instanceof Error && errnoOf((e as { cause?: unknown }).cause) === 'ENOENT') return false;
      throw e;
    }
  }

  fileSize(): number {
    return guarded('reading', this.path, () => io.fstat(this.readFd()).size);
  }

  close(): void {
    closeQuietly(this.fd);
    this.fd = undefined;
  }

  /** Read up to length bytes at position into a new buffer (its memory is handed to records). */
  read(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafeSlow(length);
    const n = guarded('reading', this.path, () => readFully(this.readFd(), buf, 0, length, position));
    return n === length ? buf : buf.subarray(0, n);
  }

  /** Check the file header; a file shorter than the header is a torn create. */
  checkHeader(): 'ok' | 'short' {
    const head = this.read(0, HEADER_BYTES);
    if (head.length < HEADER_BYTES) return 'short';
    if (!head.subarray(0, 8).equals(MAGIC) || readU64(head, 8) !== this.base) {
      throw new CorruptRecordError(this.path, 0, null, 'not a ksqlite log segment (bad header)');
    }
    return 'ok';
  }

  /**
   * The sealed segment's index: from its file when it matches, else rebuilt
   * by a scan of the segment (and written back, best effort).
   */
  loadIndex(): SparseIndex {
    if (this.index !== undefined) return this.index;
    const stored = readIfExists(this.indexPath);
    const parsed = stored === undefined ? undefined : SparseIndex.parse(stored, this.size);
    if (parsed !== undefined) return (this.index = parsed);
    const index = new SparseIndex();
    const walk = this.walk(HEADER_BYTES, this.size, index);
    if (walk.stop === 'bad' || (walk.stop === 'partial' && walk.pos < this.size)) {
      throw new CorruptRecordError(this.path, walk.pos, walk.badOffset, walk.stop === 'bad' ? walk.reason : 'truncated record');
    }
    this.index = index;
    this.writeIndex();
    return index;
  }

  writeIndex(): void {
    if (this.index === undefined) return;
    try {
      writeFileAtomic(this.indexPath, this.index.serialize(this.size), false, this.dir);
    } catch {
      // The index is a cache: without it the segment is scanned when next opened.
    }
  }

  /**
   * Validate records in [from, to) chunk by chunk, telling the visitor about
   * each; stops as scan does (a seal marker, an incomplete or bad record).
   * Reading past `size` is allowed here: this is how new bytes are checked.
   */
  walk(from: number, to: number, visitor: RecordVisitor | null): Walk {
    let pos = from;
    let chunkSize = READ_CHUNK;
    for (;;) {
      const length = Math.min(chunkSize, to - pos);
      if (length <= 0) return { pos, stop: 'end', need: 0, reason: '', sealNext: -1, badOffset: null };
      const buf = this.read(pos, length);
      const w = scan(buf, 0, buf.length, visitor === null ? null : shifted(visitor, pos));
      const reached = pos + w.pos;
      if (w.stop === 'end' && buf.length === length) {
        pos = reached;
        chunkSize = READ_CHUNK;
        continue;
      }
      if (w.stop === 'partial' && reached + w.need <= to && w.need > 0 && buf.length === length) {
        // The next record straddles the chunk: read again from it, big enough to hold it.
        pos = reached;
        chunkSize = Math.max(READ_CHUNK, w.need);
        continue;
      }
      return { ...w, pos: reached, stop: w.stop === 'end' ? 'partial' : w.stop };
    }
  }
}

/** A visitor seeing positions relative to the chunk, shifted to file positions. */
function shifted(visitor: RecordVisitor, delta: number): RecordVisitor {
  return { note: (p, offset, ts, size) => visitor.note(p + delta, offset, ts, size) };
}

/** Whether bytes [from, end of file) are all zero (a file system's torn extension). */
export function zeroTail(segment: Segment, from: number, fileSize: number): boolean {
  for (let pos = from; pos < fileSize; pos += READ_CHUNK) {
    const buf = segment.read(pos, Math.min(READ_CHUNK, fileSize - pos));
    for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) return false;
  }
  return true;
}

