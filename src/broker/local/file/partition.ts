/**
 * One partition of a topic on disk: a directory of segments (the last one
 * active) and `partition.json` (log start offset, cleaner checkpoint). This
 * class is one process's view of it: it appends (the caller holds the
 * partition's lock), catches up with what other processes appended (by the
 * size of the active file, so a reader needs one fstat to see new data),
 * repairs a torn tail under the lock, and reads through two caches: the
 * records appended recently (the tail) and a few decoded read blocks.
 */

import { join } from 'node:path';
import { CorruptRecordError } from '../../errors.js';
import type { ConsumedRecord, Header, ProducerRecord } from '../../port.js';
import { compactSegments } from './cleaner.js';
import {
  closeQuietly,
  errnoOf,
  fsyncDir,
  guarded,
  io,
  listDir,
  readIfExists,
  storageError,
  sweepTemporaries,
  unlinkIfExists,
  writeFileAtomic,
  writeFully,
} from './io.js';
import { pidAlive, tryLock, unlock, type OwnerFile } from './lock.js';
import { decode, encodedSize, encodeRecord, encodeSeal, readU32, readU64, RECORD_OVERHEAD, type Walk } from './record.js';
import {
  HEADER_BYTES,
  INDEX_SUFFIX,
  parseSegmentName,
  READ_CHUNK,
  Segment,
  segmentFileName,
  segmentHeader,
  SparseIndex,
  zeroTail,
} from './segment.js';

export const META_FILE = 'partition.json';
/** Records of the tail cache kept (it is trimmed to this when twice as long). */
const TAIL_RECORDS = 8192;
const BLOCKS_KEPT = 2;
const NO_HEADERS: readonly Header[] = Object.freeze([]);

/** What a partition needs to know of its topic and the broker's options. */
export interface PartitionConfig {
  readonly topic: string;
  readonly partition: number;
  /** The partition directory. */
  readonly dir: string;
  /** The append lock (beside the directory, so watchers of it are not woken by locking). */
  readonly lockPath: string;
  /** What this process's locks link to. */
  readonly owner: OwnerFile;
  /** fsync every append ('always'), or leave it to the interval timer. */
  readonly durable: boolean;
  readonly segmentBytes: number;
  /** Time and size retention (-1: keep forever), applied only when deleteRetention. */
  readonly retentionMs: number;
  readonly retentionBytes: number;
  readonly deleteRetention: boolean;
  readonly compacted: boolean;
  readonly staleLockMs: number;
  /** How often partition.json is re-checked for changes by other processes. */
  readonly metaCheckMs: number;
  /** Errors of work done on the side (retention, compaction on roll) that no caller waits for. */
  readonly onBackgroundError: (e: unknown) => void;
}

/** Where the log stood before an append, to undo it (a transaction that failed to apply). */
export interface Mark {
  readonly segment: Segment;
  readonly size: number;
  readonly end: number;
  readonly indexLength: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
}

interface PartitionMeta {
  logStart: number;
  cleanerCheckpoint: number;
}

/** Decoded records of one read of a segment. */
interface Block {
  readonly segment: Segment;
  readonly startPos: number;
  readonly endPos: number;
  /** Offsets [from, next) are all here (or absent from the log). */
  readonly from: number;
  readonly next: number;
  readonly records: ConsumedRecord[];
}

export class PartitionLog {
  segments: Segment[] = [];
  /** Log start offset (beginning) and end offset (high-water mark). */
  start = 0;
  end = 0;
  cleanerCheckpoint = 0;
  /** Written since the last fsync (interval policy). */
  unsynced = false;
  /** Set by a watcher: partition.json or the file layout may have changed. */
  metaDirty = false;
  private writeFd: number | undefined;
  private writeSegment: Segment | undefined;
  /** Records appended recently, covering every offset in [tailFrom, end). */
  private tail: ConsumedRecord[] = [];
  private tailFrom = 0;
  private blocks: Block[] = [];
  /** >= 0 when the active segment ends with a seal and the next segment (this base) is not there yet. */
  private sealedNext = -1;
  /** The active segment's file is shorter than its header (a crash while creating it). */
  private tornHeader = false;
  private metaStamp = '';
  private metaCheckedAt = 0;
  private closed = false;

  private constructor(readonly config: PartitionConfig) {}

  get metaPath(): string {
    return join(this.config.dir, META_FILE);
  }

  get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  /** Open a partition directory: find segments, scan the active one, repair a torn tail. */
  static open(config: PartitionConfig): PartitionLog {
    const log = new PartitionLog(config);
    log.load();
    return log;
  }

  /** Create the files of a new, empty partition in dir (the topic is being staged). */
  static create(dir: string, durable: boolean): void {
    io.mkdir(dir);
    const path = join(dir, segmentFileName(0));
    const fd = io.open(path, 'wx', 0o644);
    try {
      writeFully(fd, segmentHeader(0), 0, HEADER_BYTES, 0);
      if (durable) io.fsync(fd);
    } finally {
      closeQuietly(fd);
    }
    writeFileAtomic(join(dir, META_FILE), JSON.stringify({ logStart: 0, cleanerCheckpoint: 0 }), durable, dir);
    if (durable) fsyncDir(dir);
  }

  private load(): void {
    sweepTemporaries(this.config.dir, pidAlive);
    this.loadMeta();
    this.loadSegments(true);
    const active = this.active;
    active.index = new SparseIndex();
    this.end = active.base;
    this.tailFrom = this.end;
    if (active.tryOpen() && active.checkHeader() === 'short') this.tornHeader = true;
    else this.resumeFromCheckpoint(active);
    this.catchUp(false);
  }

  /**
   * Take the active segment's index as a clean close left it (see close): the bytes it covers
   * were synced before it was written, so only what follows them is scanned. Records are
   * checked again whenever they are read.
   */
  private resumeFromCheckpoint(active: Segment): void {
    const stored = readIfExists(active.indexPath);
    if (stored === undefined) return;
    const covered = SparseIndex.coveredSize(stored);
    if (covered === undefined || covered <= HEADER_BYTES) return;
    let fileSize: number;
    try {
      fileSize = active.fileSize();
    } catch {
      return;
    }
    const index = SparseIndex.parsePrefix(stored, covered, fileSize);
    if (index === undefined || index.lastOffset < active.base) return;
    // The checkpoint must still describe this file: from its last entry, whole records (their
    // checksums checked) run exactly to the size it covers, the last one with its last offset.
    const n = index.positions.length;
    const from = n > 0 ? index.positions[n - 1]! : HEADER_BYTES;
    if (n > 0 && readU64(active.read(from, 18), 10) !== index.offsets[n - 1]) return;
    let last = -1;
    const walk = active.walk(from, covered, { note: (_p, offset) => void (last = offset) });
    if (walk.stop !== 'end' || walk.pos !== covered || last !== index.lastOffset) return;
    active.index = index;
    active.size = covered;
    this.end = this.computeEnd();
    this.tailFrom = this.end;
  }

  private loadMeta(): void {
    const raw = readIfExists(this.metaPath);
    let meta: PartitionMeta = { logStart: 0, cleanerCheckpoint: 0 };
    if (raw !== undefined) {
      try {
        meta = JSON.parse(raw.toString('utf8')) as PartitionMeta;
      } catch {
        throw new CorruptRecordError(this.metaPath, 0, null, 'unreadable partition metadata');
      }
    }
    this.start = Math.max(this.start, meta.logStart);
    this.cleanerCheckpoint = meta.cleanerCheckpoint ?? 0;
    try {
      const st = io.stat(this.metaPath);
      this.metaStamp = `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch {
      this.metaStamp = '';
    }
    this.metaCheckedAt = Date.now();
  }

  private writeMeta(): void {
    writeFileAtomic(
      this.metaPath,
      JSON.stringify({ logStart: this.start, cleanerCheckpoint: this.cleanerCheckpoint }),
      this.config.durable,
      this.config.dir,
    );
    const st = io.stat(this.metaPath);
    this.metaStamp = `${st.ino}:${st.mtimeMs}:${st.size}`;
  }

  /**
   * (Re)read the list of segment files, keeping what is known of segments
   * that did not change. After the first load the active segment stays:
   * newer segments are found by following its seal marker.
   */
  private loadSegments(initial: boolean): void {
    const names = listDir(this.config.dir);
    if (names.length === 0 && readIfExists(this.metaPath) === undefined) {
      throw storageError(Object.assign(new Error('missing'), { code: 'ENOENT' }), 'opening partition', this.config.dir);
    }
    const activeBase = initial ? Number.MAX_SAFE_INTEGER : this.active.base;
    const bases = names
      .map(parseSegmentName)
      .filter((b): b is number => b !== undefined && b < activeBase)
      .sort((a, b) => a - b);
    if (!initial) bases.push(activeBase);
    if (bases.length === 0) bases.push(this.start);
    const known = new Map(this.segments.map((s) => [s.base, s]));
    const segments: Segment[] = [];
    for (let i = 0; i < bases.length; i++) {
      const base = bases[i]!;
      let segment = known.get(base);
      const isLast = i === bases.length - 1;
      if (segment !== undefined && !isLast) {
        // A sealed segment replaced by compaction elsewhere: forget the old file.
        try {
          const st = io.stat(segment.path);
          if (segment.ino !== 0 && st.ino !== segment.ino) {
            segment.close();
            segment.index = undefined;
            segment.ino = 0;
          }
          segment.size = st.size;
        } catch (e) {
          if (errnoOf(e) !== 'ENOENT') throw storageError(e, 'reading', segment.path);
          continue;
        }
      }
      if (segment === undefined) {
        segment = new Segment(this.config.dir, base);
        if (!isLast) {
          try {
            segment.size = io.stat(segment.path).size;
          } catch (e) {
            if (errnoOf(e) === 'ENOENT') continue;
            throw storageError(e, 'reading', segment.path);
          }
        }
      }
      segments.push(segment);
    }
    for (const old of this.segments) if (!segments.includes(old)) old.close();
    if (segments.length === 0) throw new CorruptRecordError(this.config.dir, 0, null, 'partition has no segment');
    this.segments = segments;
  }

  // --- catching up, repairing -------------------------------------------

  /**
   * Take in what was appended to the active segment since we last looked
   * (by another process: our own appends are known already). Without the
   * lock an incomplete record at the end is someone's write in progress and
   * is left alone (repaired only if the lock can be had at once); with the
   * lock it is a torn tail and cut off, and a damaged record followed by more
   * data is corruption (CorruptRecordError).
   */
  catchUp(locked: boolean): void {
    this.checkMeta();
    for (;;) {
      if (this.sealedNext >= 0 && !this.openNext()) return;
      const active = this.active;
      let fileSize: number;
      try {
        fileSize = active.fileSize();
      } catch (e) {
        if (!active.tryOpen()) {
          // The directory is gone: the topic was deleted; the broker notices by its metadata.
          return;
        }
        throw e;
      }
      if (fileSize < HEADER_BYTES) this.tornHeader = true;
      if (this.tornHeader) {
        // A segment being created (or whose creator died before writing its header).
        if (fileSize >= HEADER_BYTES && active.checkHeader() === 'ok') this.tornHeader = false;
        else if (locked) this.rewriteHeader();
        else return;
      }
      if (fileSize < active.size || (fileSize > active.size && !this.continues(active, fileSize))) {
        // A writer cut back bytes this view had seen (a failed write undone): look again from the start.
        this.rescanActive();
        continue;
      }
      if (fileSize === active.size) return;
      const before = active.size;
      const walk = active.walk(active.size, fileSize, active.index!);
      if (walk.pos > before) {
        active.size = walk.pos;
        this.end = this.computeEnd();
        // Someone else appended: the tail cache no longer reaches the end.
        this.tail = [];
        this.tailFrom = this.end;
      }
      if (walk.stop === 'end') return;
      if (walk.stop === 'seal') {
        this.sealedNext = walk.sealNext;
        this.end = Math.max(this.end, walk.sealNext);
        this.tailFrom = Math.max(this.tailFrom, this.end);
        this.tail = this.tail.filter((r) => r.offset >= this.tailFrom);
        continue;
      }
      if (locked) {
        this.repair(walk, fileSize);
        return;
      }
      if (!this.tryRepair()) return;
    }
  }

  /**
   * Whether the bytes after what this view knows continue it: the next
   * record (or seal) must carry the end offset (offsets are dense in the
   * active segment). Not so after a writer undid a write this view saw.
   */
  private continues(active: Segment, fileSize: number): boolean {
    if (active.size === HEADER_BYTES || fileSize - active.size < 18) return true;
    const head = active.read(active.size, 18);
    return head.length < 18 || readU64(head, 10) === this.end;
  }

  private rescanActive(): void {
    const active = this.active;
    active.index = new SparseIndex();
    active.size = HEADER_BYTES;
    this.end = active.base;
    this.sealedNext = -1;
    this.tail = [];
    this.tailFrom = this.end;
    this.blocks = this.blocks.filter((b) => b.segment !== active);
  }

  /** Repair now if nobody holds the lock; false when someone does (a write in progress). */
  private tryRepair(): boolean {
    let result;
    try {
      const { lockPath, owner, staleLockMs } = this.config;
      result = tryLock(lockPath, owner, staleLockMs);
      if (result === 'broken') result = tryLock(lockPath, owner, staleLockMs);
    } catch {
      return false;
    }
    if (result !== 'acquired') return false;
    try {
      this.catchUp(true);
    } catch (e) {
      if (e instanceof CorruptRecordError) throw e;
      // A read-only or full disk cannot be repaired from here; the tail stays invisible.
      return false;
    } finally {
      unlock(this.config.lockPath);
    }
    return false;
  }

  /** Under the lock: cut a torn tail, or report corruption in the middle. */
  private repair(walk: Walk, fileSize: number): void {
    const active = this.active;
    if (walk.stop === 'partial' || this.tornAt(walk.pos, fileSize)) {
      this.truncate(active, walk.pos);
      return;
    }
    throw new CorruptRecordError(active.path, walk.pos, walk.badOffset ?? this.end, walk.reason);
  }

  /** A bad record is a torn write when it is the last thing in the file (or only zeros follow). */
  private tornAt(pos: number, fileSize: number): boolean {
    const active = this.active;
    const head = active.read(pos, 4);
    if (head.length < 4) return true;
    const size = readU32(head, 0);
    if (size >= RECORD_OVERHEAD - 4 && pos + 4 + size >= fileSize) return true;
    return zeroTail(active, pos, fileSize);
  }

  private truncate(segment: Segment, length: number): void {
    const fd = this.writeFdFor(segment);
    guarded('truncating a torn write in', segment.path, () => {
      io.ftruncate(fd, length);
      if (this.config.durable) io.fdatasync(fd);
    });
  }

  private rewriteHeader(): void {
    const active = this.active;
    const fd = this.writeFdFor(active);
    guarded('repairing', active.path, () => {
      io.ftruncate(fd, 0);
      writeFully(fd, segmentHeader(active.base), 0, HEADER_BYTES, 0);
      if (this.config.durable) io.fdatasync(fd);
    });
    this.tornHeader = false;
    active.size = HEADER_BYTES;
  }

  /** Open the segment a seal points to; false while it does not exist yet. */
  private openNext(): boolean {
    const next = new Segment(this.config.dir, this.sealedNext);
    if (!next.tryOpen()) return this.jumpAhead();
    if (next.checkHeader() === 'short') this.tornHeader = true;
    next.index = new SparseIndex();
    this.segments.push(next);
    this.sealedNext = -1;
    this.end = Math.max(this.end, next.base);
    return true;
  }

  /**
   * The segment a seal points to is missing: not created yet, or (when
   * newer ones exist) deleted by retention elsewhere while this view was far
   * behind. Then take the layout afresh and scan the newest segment.
   */
  private jumpAhead(): boolean {
    const newer = listDir(this.config.dir)
      .map(parseSegmentName)
      .some((b) => b !== undefined && b > this.sealedNext);
    if (!newer) return false;
    this.loadMeta();
    this.loadSegments(true);
    this.sealedNext = -1;
    this.rescanActive();
    this.blocks = [];
    return true;
  }

  private computeEnd(): number {
    const active = this.active;
    const last = active.index?.lastOffset ?? -1;
    return Math.max(this.end, active.base, last + 1, this.sealedNext);
  }

  /** Re-read partition.json (and the file list) when a watcher or the clock says it may have changed. */
  private checkMeta(): void {
    const now = Date.now();
    if (!this.metaDirty && now - this.metaCheckedAt < this.config.metaCheckMs) return;
    this.metaDirty = false;
    this.metaCheckedAt = now;
    let stamp = '';
    try {
      const st = io.stat(this.metaPath);
      stamp = `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch {
      return;
    }
    if (stamp === this.metaStamp) return;
    this.loadMeta();
    this.loadSegments(false);
    this.blocks = [];
    if (this.tailFrom < this.start) this.dropTailBelow(this.start);
  }

  // --- appending ----------------------------------------------------------

  /**
   * Append records[picks[i]] for i < count (all records when picks is null)
   * as one write; the caller holds the lock and called catchUp(true).
   * Returns the first offset. On failure nothing is appended.
   */
  append(topic: string, records: readonly ProducerRecord[], picks: Int32Array | null, count: number): number {
    if (count === 0) return this.end;
    let bytes = 0;
    for (let i = 0; i < count; i++) bytes += encodedSize(records[picks === null ? i : picks[i]!]!);
    this.prepareWrite(bytes);
    const segment = this.active;
    const at = segment.size;
    const buf = Buffer.allocUnsafe(bytes);
    const first = this.end;
    const positions = new Float64Array(count);
    let pos = 0;
    for (let i = 0; i < count; i++) {
      positions[i] = pos;
      pos = encodeRecord(buf, pos, first + i, records[picks === null ? i : picks[i]!]!);
    }
    this.write(segment, buf, at, 'appending to');
    const index = segment.index!;
    const partition = this.config.partition;
    for (let i = 0; i < count; i++) {
      const r = records[picks === null ? i : picks[i]!]!;
      const offset = first + i;
      index.note(at + positions[i]!, offset, r.timestamp);
      const headers = r.headers === undefined || r.headers.length === 0 ? NO_HEADERS : r.headers.slice();
      this.tail.push({ topic, partition, offset, key: r.key, value: r.value, timestamp: r.timestamp, headers });
    }
    segment.size = at + bytes;
    this.end = first + count;
    if (this.tail.length > 2 * TAIL_RECORDS) {
      this.tail = this.tail.slice(this.tail.length - TAIL_RECORDS);
      this.tailFrom = this.tail[0]!.offset;
    }
    return first;
  }

  /**
   * Append already encoded records (a transaction being applied), whose
   * offsets must start at the end offset. The caller holds the lock.
   */
  appendEncoded(buf: Buffer, count: number, records: readonly ConsumedRecord[]): void {
    if (count === 0) return;
    this.prepareWrite(buf.length);
    const segment = this.active;
    const at = segment.size;
    this.write(segment, buf, at, 'appending to');
    const visitor = segment.index!;
    let pos = 0;
    for (const r of records) {
      visitor.note(at + pos, r.offset, r.timestamp);
      pos += 4 + readU32(buf, pos);
    }
    segment.size = at + buf.length;
    this.end = records[records.length - 1]!.offset + 1;
    for (const r of records) this.tail.push(r);
  }

  checkpoint(): Mark {
    const active = this.active;
    const index = active.index!;
    return {
      segment: active,
      size: active.size,
      end: this.end,
      indexLength: index.offsets.length,
      lastOffset: index.lastOffset,
      maxTimestamp: index.maxTimestamp,
    };
  }

  /** Undo appends since the mark (the caller holds the lock); a roll in between stays, emptied. */
  rollback(mark: Mark): void {
    const active = this.active;
    const size = active === mark.segment ? mark.size : HEADER_BYTES;
    if (active.size > size) this.truncate(active, size);
    active.size = size;
    if (active === mark.segment) {
      const index = active.index!;
      index.offsets.length = mark.indexLength;
      index.positions.length = mark.indexLength;
      index.lastOffset = mark.lastOffset;
      index.maxTimestamp = mark.maxTimestamp;
    } else {
      active.index = new SparseIndex();
    }
    this.end = mark.end;
    this.tail = this.tail.filter((r) => r.offset < mark.end);
    if (this.tailFrom > this.end) this.tailFrom = this.end;
    this.blocks = this.blocks.filter((b) => b.next <= mark.end);
  }

  /** One write at the end of the active segment, synced per the policy; cut back on failure. */
  private write(segment: Segment, buf: Buffer, at: number, action: string): void {
    const fd = this.writeFdFor(segment);
    try {
      writeFully(fd, buf, 0, buf.length, at);
      if (this.config.durable) io.fdatasync(fd);
      else this.unsynced = true;
    } catch (e) {
      try {
        io.ftruncate(fd, at);
      } catch {
        // The bytes past `at` are not counted as written; the next lock holder cuts them.
      }
      throw storageError(e, action, segment.path);
    }
  }

  private writeFdFor(segment: Segment): number {
    if (this.writeSegment !== segment || this.writeFd === undefined) {
      this.closeWriteFd();
      this.writeFd = guarded('opening for append', segment.path, () => io.open(segment.path, 'r+'));
      this.writeSegment = segment;
    }
    return this.writeFd;
  }

  private closeWriteFd(): void {
    if (this.writeFd !== undefined && this.unsynced) {
      try {
        io.fdatasync(this.writeFd);
        this.unsynced = false;
      } catch (e) {
        this.config.onBackgroundError(storageError(e, 'syncing', this.writeSegment?.path ?? this.config.dir));
      }
    }
    closeQuietly(this.writeFd);
    this.writeFd = undefined;
    this.writeSegment = undefined;
  }

  /** fsync what was written since the last sync (interval policy). */
  sync(): void {
    if (!this.unsynced || this.writeFd === undefined) return;
    const fd = this.writeFd;
    guarded('syncing', this.writeSegment!.path, () => io.fdatasync(fd));
    this.unsynced = false;
  }

  /** Before writing bytes: finish a roll left half done, roll when the segment is full. */
  private prepareWrite(bytes: number): void {
    if (this.tornHeader) this.rewriteHeader();
    if (this.sealedNext >= 0) this.createNext();
    const active = this.active;
    if (active.size > HEADER_BYTES && active.size + bytes > this.config.segmentBytes) this.roll();
  }

  /** Seal the active segment and start the next; then retention and compaction when due. */
  private roll(): void {
    this.seal();
    try {
      this.maintain(Date.now());
    } catch (e) {
      this.config.onBackgroundError(e);
    }
  }

  private createNext(): void {
    const segment = new Segment(this.config.dir, this.sealedNext);
    guarded('creating segment', segment.path, () => {
      let fd: number;
      try {
        fd = io.open(segment.path, 'wx', 0o644);
      } catch (e) {
        if (errnoOf(e) !== 'EEXIST') throw e;
        fd = io.open(segment.path, 'r+');
        io.ftruncate(fd, 0);
      }
      try {
        writeFully(fd, segmentHeader(segment.base), 0, HEADER_BYTES, 0);
        if (this.config.durable) io.fdatasync(fd);
      } finally {
        closeQuietly(fd);
      }
      if (this.config.durable) fsyncDir(this.config.dir);
    });
    this.closeWriteFd();
    segment.index = new SparseIndex();
    this.segments.push(segment);
    this.sealedNext = -1;
  }

  // --- reading ------------------------------------------------------------

  /**
   * Up to max records with offset >= from (start <= from <= end, checked by
   * the caller), from the tail cache, the read blocks, or the files.
   */
  read(from: number, max: number): ConsumedRecord[] {
    if (from >= this.end) return [];
    if (from >= this.tailFrom) return this.tailSlice(from, max);
    const out: ConsumedRecord[] = [];
    let block: Block | undefined = this.findBlock(from) ?? this.locate(from);
    let at = from;
    while (block !== undefined) {
      const records = block.records;
      let i = lowerBound(records, at);
      while (i < records.length && out.length < max) out.push(records[i++]!);
      if (out.length >= max) break;
      at = Math.max(at, block.next);
      if (at >= this.end) break;
      if (at >= this.tailFrom) {
        const rest = this.tailSlice(at, max - out.length);
        for (const r of rest) out.push(r);
        break;
      }
      block = this.nextBlock(block);
    }
    return out;
  }

  private tailSlice(from: number, max: number): ConsumedRecord[] {
    const i = lowerBound(this.tail, from);
    return this.tail.slice(i, i + max);
  }

  private findBlock(from: number): Block | undefined {
    const blocks = this.blocks;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!;
      if (b.from <= from && from < b.next) {
        if (i > 0) {
          blocks.splice(i, 1);
          blocks.unshift(b);
        }
        return b;
      }
    }
    return undefined;
  }

  /** The block holding from: the segment by base offset, the position by its index. */
  private locate(from: number): Block {
    const segments = this.segments;
    let lo = 0;
    let hi = segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (segments[mid]!.base <= from) lo = mid + 1;
      else hi = mid;
    }
    const segment = segments[Math.max(0, lo - 1)]!;
    const index = segment === this.active ? segment.index! : segment.loadIndex();
    return this.loadBlock(segment, index.lookup(from), from);
  }

  private nextBlock(block: Block): Block | undefined {
    const blocks = this.blocks;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!;
      if (b.segment === block.segment && b.startPos === block.endPos && b.endPos > b.startPos) {
        blocks.splice(i, 1);
        blocks.unshift(b);
        return b;
      }
    }
    if (block.endPos < block.segment.size) return this.loadBlock(block.segment, block.endPos, block.next);
    const i = this.segments.indexOf(block.segment);
    if (i < 0) return this.locate(block.next);
    const next = this.segments[i + 1];
    return next === undefined ? undefined : this.loadBlock(next, HEADER_BYTES, block.next);
  }

  private loadBlock(segment: Segment, pos: number, from: number): Block {
    const limit = segment.size;
    const records: ConsumedRecord[] = [];
    let endPos = pos;
    let length = Math.min(READ_CHUNK, limit - pos);
    while (length > 0) {
      const buf = segment.read(pos, length);
      const walk = decode(buf, 0, buf.length, this.config.topic, this.config.partition, records, null);
      if (walk.stop === 'bad') {
        throw new CorruptRecordError(segment.path, pos + walk.pos, walk.badOffset ?? from, walk.reason);
      }
      if (walk.stop === 'partial' && walk.pos === 0) {
        if (buf.length < length || walk.need <= length) {
          throw new CorruptRecordError(segment.path, pos, from, 'the file is shorter than its records');
        }
        length = Math.min(walk.need, limit - pos);
        if (walk.need > limit - pos) throw new CorruptRecordError(segment.path, pos, from, 'truncated record');
        continue;
      }
      endPos = walk.stop === 'seal' ? limit : pos + walk.pos;
      break;
    }
    const first = records.length > 0 ? records[0]!.offset : from;
    const next = records.length > 0 ? records[records.length - 1]!.offset + 1 : from;
    const block: Block = { segment, startPos: pos, endPos, from: Math.min(first, from), next, records };
    if (records.length > 0) {
      this.blocks.unshift(block);
      if (this.blocks.length > BLOCKS_KEPT) this.blocks.pop();
    }
    return block;
  }

  private dropTailBelow(offset: number): void {
    const i = lowerBound(this.tail, offset);
    this.tail = this.tail.slice(i);
    this.tailFrom = Math.max(this.tailFrom, offset);
  }

  // --- log start, retention, compaction (caller holds the lock) -----------

  /** Move the log start up to offset (deleteRecords); whole segments below it are deleted. */
  deleteRecords(offset: number): void {
    if (offset <= this.start) return;
    this.start = offset;
    this.writeMeta();
    while (this.segments.length > 1 && this.segments[1]!.base <= offset) this.deleteSegment(this.segments[0]!);
    this.dropTailBelow(offset);
  }

  private deleteSegment(segment: Segment): void {
    segment.close();
    unlinkIfExists(segment.path);
    unlinkIfExists(segment.indexPath);
    this.segments = this.segments.filter((s) => s !== segment);
    this.blocks = this.blocks.filter((b) => b.segment !== segment);
  }

  /** Retention by time and size over sealed segments, then compaction when due. */
  maintain(now: number, forceCompaction = false): void {
    this.applyRetention(now);
    if (!this.config.compacted) return;
    const sealed = this.segments.slice(0, -1);
    let dirty = 0;
    let total = 0;
    for (const s of sealed) {
      total += s.size;
      if (s.base >= this.cleanerCheckpoint) dirty += s.size;
    }
    // Kafka's min.cleanable.dirty.ratio: clean when half the log is new since the last cleaning.
    if (forceCompaction || (total > 0 && dirty / total >= 0.5)) this.compact();
  }

  private applyRetention(now: number): void {
    const { deleteRetention, retentionMs, retentionBytes } = this.config;
    if (!deleteRetention || (retentionMs < 0 && retentionBytes < 0)) return;
    const doomed: Segment[] = [];
    let size = 0;
    for (const s of this.segments) size += s.size;
    for (const s of this.segments.slice(0, -1)) {
      const byTime = retentionMs >= 0 && s.loadIndex().maxTimestamp < now - retentionMs;
      const bySize = retentionBytes >= 0 && size - s.size >= retentionBytes;
      if (!byTime && !bySize) break;
      doomed.push(s);
      size -= s.size;
    }
    if (doomed.length === 0) return;
    const next = this.segments[doomed.length]!;
    // The start moves first, so a crash in between leaves only unreachable files.
    this.start = Math.max(this.start, next.base);
    this.writeMeta();
    for (const s of doomed) this.deleteSegment(s);
    this.dropTailBelow(this.start);
  }

  /**
   * Compact now (caller holds the lock): roll the active segment when it has
   * records, then keep only the latest record per key in sealed segments and
   * drop tombstones; offsets stay (gaps), beginning and end do not move.
   */
  compact(): void {
    if (this.sealedNext >= 0) this.createNext();
    if (this.active.index!.lastOffset >= 0) this.seal();
    const sealed = this.segments.slice(0, -1);
    const emptied = compactSegments(sealed, this.config.durable, this.config.lockPath);
    for (const s of emptied) this.deleteSegment(s);
    this.cleanerCheckpoint = this.active.base;
    this.writeMeta();
    this.blocks = [];
    this.tail = [];
    this.tailFrom = this.end;
  }

  /** Write a seal marker (synced in any policy), the sealed segment's index, and the next segment. */
  private seal(): void {
    const active = this.active;
    const seal = encodeSeal(this.end, Date.now());
    this.write(active, seal, active.size, 'rolling');
    this.sync();
    active.size += seal.length;
    active.writeIndex();
    this.sealedNext = this.end;
    this.createNext();
  }

  /** Remove what an interrupted compaction left, and indexes of deleted segments (caller holds the lock). */
  sweep(): void {
    for (const name of listDir(this.config.dir)) {
      if (name.endsWith('.cleaning')) unlinkIfExists(join(this.config.dir, name));
      else if (name.endsWith(INDEX_SUFFIX)) {
        const base = parseSegmentName(name.slice(0, -INDEX_SUFFIX.length) + '.log');
        if (base !== undefined && !this.segments.some((s) => s.base === base)) unlinkIfExists(join(this.config.dir, name));
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const appended = this.writeSegment === this.active;
    this.closeWriteFd();
    // Under the 'always' policy every byte this view counts was synced before it was acknowledged:
    // the active segment's index, written now, saves the next opener a scan (resumeFromCheckpoint).
    if (appended && !this.unsynced && this.config.durable && !this.tornHeader && this.sealedNext < 0) this.active.writeIndex();
    for (const s of this.segments) s.close();
    this.tail = [];
    this.blocks = [];
  }
}

/** Index of the first record with offset >= offset. */
function lowerBound(records: readonly ConsumedRecord[], offset: number): number {
  const n = records.length;
  if (n === 0) return 0;
  const guess = offset - records[0]!.offset;
  if (guess <= 0) return 0;
  if (guess < n && records[guess]!.offset === offset) return guess;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
