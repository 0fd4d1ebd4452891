/**
 * Log compaction, as Kafka's cleaner does it for `cleanup.policy=compact`:
 * over the sealed segments, keep only the latest record of each key and drop
 * tombstones; offsets and timestamps stay as they were (leaving gaps). Each
 * segment is rewritten to `<base>.cleaning` and renamed over the original,
 * so a crash leaves every segment either old or cleaned, both valid.
 */

import { CorruptRecordError } from '../../errors.js';
import { closeQuietly, fsyncDir, guarded, io, unlinkIfExists, writeFully } from './io.js';
import { touchLock } from './lock.js';
import { isData, keyAt, readU32, readU64, scan } from './record.js';
import { HEADER_BYTES, READ_CHUNK, Segment, segmentHeader, SparseIndex } from './segment.js';

const OUT_CHUNK = 1024 * 1024;

/** Call visit(buf, pos) for each whole record (data or seal) of a sealed segment, in order. */
function forEachRecord(segment: Segment, visit: (buf: Buffer, pos: number) => void): void {
  let pos = HEADER_BYTES;
  let length = READ_CHUNK;
  const starts: number[] = [];
  const collector = { note: (p: number) => void starts.push(p) };
  while (pos < segment.size) {
    const buf = segment.read(pos, Math.min(length, segment.size - pos));
    starts.length = 0;
    const walk = scan(buf, 0, buf.length, collector);
    for (const p of starts) visit(buf, p);
    if (walk.stop === 'seal') return;
    if (walk.stop === 'bad') throw new CorruptRecordError(segment.path, pos + walk.pos, walk.badOffset, walk.reason);
    if (walk.stop === 'partial' && walk.pos === 0) {
      if (walk.need <= buf.length || pos + walk.need > segment.size) {
        throw new CorruptRecordError(segment.path, pos, null, 'truncated record');
      }
      length = walk.need;
      continue;
    }
    pos += walk.pos;
    length = READ_CHUNK;
  }
}

/**
 * Compact the given sealed segments in place (the caller holds the
 * partition lock). Returns the segments left with no record, for the
 * caller to delete.
 */
export function compactSegments(segments: readonly Segment[], durable: boolean, lockPath: string): Segment[] {
  const latest = new Map<string, number>();
  for (const segment of segments) {
    forEachRecord(segment, (buf, pos) => {
      if (!isData(buf, pos)) return;
      const { offset, key } = keyAt(buf, pos);
      latest.set(key ?? '', offset);
    });
  }
  const emptied: Segment[] = [];
  for (const segment of segments) {
    touchLock(lockPath);
    if (!rewrite(segment, latest, durable)) emptied.push(segment);
  }
  if (durable && segments.length > 0) fsyncDir(segments[0]!.dir);
  return emptied;
}

/** Rewrite one segment with the records to keep; false when none is left (the file is then untouched). */
function rewrite(segment: Segment, latest: ReadonlyMap<string, number>, durable: boolean): boolean {
  const outPath = `${segment.path}.cleaning`;
  const index = new SparseIndex();
  let fd: number | undefined;
  let out = Buffer.allocUnsafe(OUT_CHUNK);
  let used = 0;
  let written = HEADER_BYTES;
  let kept = 0;
  return guarded('compacting', segment.path, () => {
    try {
      fd = io.open(outPath, 'w', 0o644);
      writeFully(fd, segmentHeader(segment.base), 0, HEADER_BYTES, 0);
      const flush = (): void => {
        writeFully(fd!, out, 0, used, written);
        written += used;
        used = 0;
      };
      forEachRecord(segment, (buf, pos) => {
        if (!isData(buf, pos)) return;
        const { offset, key, tombstone } = keyAt(buf, pos);
        if (tombstone || latest.get(key ?? '') !== offset) return;
        const size = 4 + readU32(buf, pos);
        if (used + size > out.length) {
          flush();
          if (size > out.length) out = Buffer.allocUnsafe(size);
        }
        index.note(written + used, offset, readU64(buf, pos + 18));
        buf.copy(out, used, pos, pos + size);
        used += size;
        kept++;
      });
      flush();
      if (kept === 0) {
        closeQuietly(fd);
        fd = undefined;
        unlinkIfExists(outPath);
        return false;
      }
      if (durable) io.fdatasync(fd);
      io.close(fd);
      fd = undefined;
      io.rename(outPath, segment.path);
    } catch (e) {
      closeQuietly(fd);
      try {
        io.unlink(outPath);
      } catch {
        // Not created.
      }
      throw e;
    }
    segment.close();
    segment.size = written;
    segment.index = index;
    segment.writeIndex();
    return true;
  });
}
