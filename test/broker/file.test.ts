import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BrokerError,
  CorruptRecordError,
  InvalidTopicError,
  OffsetOutOfRangeError,
  StorageError,
  type ConsumedRecord,
  type FileBroker,
  type ProducerRecord,
} from '../../src/broker/index.js';
import { io } from '../../src/broker/local/file/io.js';
import { openFileBroker, removeTempDirs, tempDir } from './file-helpers.js';
import { pollN, rec, text, utf8, values } from './port-conformance.js';

afterAll(removeTempDirs);

const kv = (records: readonly ConsumedRecord[]) => records.map((r) => `${r.offset}:${text(r.key)}=${text(r.value)}`);
const segmentsOf = (dir: string, topic: string, partition = 0): string[] =>
  readdirSync(join(dir, 'topics', topic, String(partition)))
    .filter((n) => n.endsWith('.log'))
    .sort()
    .map((n) => join(dir, 'topics', topic, String(partition), n));
const firstSegment = (dir: string, topic: string): string => segmentsOf(dir, topic)[0]!;
/** Bytes of rec(key, value) on disk: 38 of framing plus key and value. */
const sizeOf = (key: string, value: string): number => 38 + utf8(key).length + utf8(value).length;
const errnoError = (code: string): Error => Object.assign(new Error(`${code}: injected`), { code });

describe('file broker', () => {
  let dir: string;
  let broker: FileBroker;
  beforeEach(async () => {
    dir = tempDir();
    broker = await openFileBroker(dir);
  });
  afterEach(async () => {
    await broker.close();
  });
  const reopen = async (options = {}): Promise<FileBroker> => {
    await broker.close();
    broker = await openFileBroker(dir, options);
    return broker;
  };

  describe('reopening', () => {
    test('keeps topics, records, offsets, log start and committed offsets', async () => {
      await broker.createTopic({ name: 't', partitions: 2, replicas: 3, config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' } });
      await broker.createTopic({ name: 'other', partitions: 1 });
      const produced: ProducerRecord[] = [
        { key: utf8('k1'), value: utf8('v1'), timestamp: 1_700_000_000_123, headers: [{ key: 'h', value: utf8('x') }], partition: 0 },
        { key: null, value: null, timestamp: 0, partition: 0 },
        { key: new Uint8Array(0), value: utf8('v3'), timestamp: 5, headers: [{ key: 'dup', value: null }], partition: 0 },
        rec('b', 'on-1', 7, 1),
      ];
      await broker.produce('t', produced);
      await broker.deleteRecords('t', [{ partition: 1, offset: 1 }]);
      await broker.commitOffsets('g', [{ topic: 't', partition: 0, offset: 2 }]);
      const before = await broker.fetch('t', 0, 0, 10);

      await reopen();
      expect(await broker.listTopics()).toEqual(['other', 't']);
      expect(await broker.describeTopic('t')).toEqual({
        name: 't',
        partitions: 2,
        replicas: 3,
        config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
      });
      expect(await broker.fetch('t', 0, 0, 10)).toEqual(before);
      expect(await broker.endOffsets('t')).toEqual([
        { partition: 0, offset: 3 },
        { partition: 1, offset: 1 },
      ]);
      expect(await broker.beginningOffsets('t')).toEqual([
        { partition: 0, offset: 0 },
        { partition: 1, offset: 1 },
      ]);
      expect(await broker.committedOffsets('g', 't')).toEqual([
        { partition: 0, offset: 2 },
        { partition: 1, offset: null },
      ]);
      expect(await broker.listGroups()).toEqual(['g']);
      expect(await broker.produce('t', [rec('k', 'next', 9, 0)])).toEqual([{ partition: 0, offset: 3 }]);
    });

    test('a consumer group resumes where it committed', async () => {
      await broker.createTopic({ name: 't', partitions: 2 });
      await broker.produce('t', [rec('a', '0', 1, 0), rec('a', '1', 2, 0), rec('b', '2', 3, 1)]);
      const c = await broker.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true });
      expect(values(await c.poll(2, 1000))).toEqual(['0', '1']);
      await c.commit();
      await reopen();
      await broker.produce('t', [rec('b', '3', 4, 1)]);
      const again = await broker.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true });
      expect(values(await pollN(again, 2))).toEqual(['2', '3']);
      await again.close();
    });

    test('a data directory of another format is refused', async () => {
      await broker.close();
      writeFileSync(join(dir, 'ksqlite-log.json'), '{"format":"ksqlite-log","version":99}');
      await expect(openFileBroker(dir)).rejects.toThrow(/unknown log format/);
      writeFileSync(join(dir, 'ksqlite-log.json'), '{"format":"ksqlite-log","version":1}');
      broker = await openFileBroker(dir);
    });

    test('bad options are refused', async () => {
      await expect(openFileBroker(dir, { fsync: 'never' as 'always' })).rejects.toThrow(/fsync/);
      await expect(openFileBroker(dir, { segmentBytes: 10 })).rejects.toThrow(/segmentBytes/);
    });
  });

  describe('segments', () => {
    test('roll by size; fetch from any offset; all of it survives a reopen', async () => {
      await reopen({ segmentBytes: 4096 });
      await broker.createTopic({ name: 't', partitions: 1 });
      for (let b = 0; b < 40; b++) {
        await broker.produce('t', Array.from({ length: 50 }, (_, i) => rec(`k${b}`, `value-${b * 50 + i}`, b * 50 + i, 0)));
      }
      const files = readdirSync(join(dir, 'topics', 't', '0'));
      expect(files.filter((n) => n.endsWith('.log')).length).toBeGreaterThan(10);
      // Sealed segments have an index; the active one keeps its index in memory.
      expect(files.filter((n) => n.endsWith('.index')).length).toBe(files.filter((n) => n.endsWith('.log')).length - 1);
      const check = async (): Promise<void> => {
        for (const from of [0, 1, 49, 50, 777, 1024, 1999]) {
          const got = await broker.fetch('t', 0, from, 3);
          expect(got.map((r) => r.offset)).toEqual([from, from + 1, from + 2].filter((o) => o < 2000));
          expect(text(got[0]!.value)).toBe(`value-${from}`);
        }
        const all: ConsumedRecord[] = [];
        for (let from = 0; from < 2000; ) {
          const page = await broker.fetch('t', 0, from, 333);
          all.push(...page);
          from = page[page.length - 1]!.offset + 1;
        }
        expect(all.map((r) => r.offset)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
      };
      await check();
      await reopen({ segmentBytes: 4096 });
      await check();
      expect(await broker.produce('t', [rec('k', 'last', 1, 0)])).toEqual([{ partition: 0, offset: 2000 }]);
    });

    test('retention by size deletes whole old segments and moves the beginning', async () => {
      await broker.createTopic({ name: 't', partitions: 1, config: { 'segment.bytes': '2048', 'retention.bytes': '8192' } });
      for (let i = 0; i < 100; i++) await broker.produce('t', Array.from({ length: 10 }, (_, j) => rec('k', `v${i * 10 + j}`, 1, 0)));
      const [{ offset: beginning }] = await broker.beginningOffsets('t');
      expect(beginning).toBeGreaterThan(0);
      const total = segmentsOf(dir, 't').reduce((n, f) => n + statSync(f).size, 0);
      expect(total).toBeLessThanOrEqual(8192 + 2 * 2048);
      await expect(broker.fetch('t', 0, 0, 1)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
      expect(text((await broker.fetch('t', 0, beginning, 1))[0]!.value)).toBe(`v${beginning}`);
      expect(await broker.endOffsets('t')).toEqual([{ partition: 0, offset: 1000 }]);
    });

    test('retention by time deletes segments whose newest record is too old', async () => {
      await broker.createTopic({ name: 't', partitions: 1, config: { 'segment.bytes': '1024', 'retention.ms': '60000' } });
      const now = Date.now();
      for (let i = 0; i < 30; i++) await broker.produce('t', [rec('k', `old-${i}`, now - 3_600_000, 0)]);
      for (let i = 0; i < 30; i++) await broker.produce('t', [rec('k', `new-${i}`, now, 0)]);
      await broker.enforceRetention('t');
      const [{ offset: beginning }] = await broker.beginningOffsets('t');
      expect(beginning).toBeGreaterThan(0);
      expect(beginning).toBeLessThanOrEqual(30);
      const left = await broker.fetch('t', 0, beginning, 100);
      expect(values(left).filter((v) => v!.startsWith('new'))).toHaveLength(30);
    });
  });

  describe('compaction', () => {
    test('keeps the latest value per key, drops tombstones, keeps offsets; survives a reopen', async () => {
      await broker.createTopic({ name: 'c', partitions: 1, config: { 'cleanup.policy': 'compact' } });
      await broker.produce('c', [
        rec('a', '1'),
        rec('b', '1'),
        rec('a', '2'),
        rec('c', '1'),
        rec('b', null),
        rec('a', '3'),
        rec('d', '1'),
        rec('d', null),
      ]);
      await broker.compact('c');
      expect(kv(await broker.fetch('c', 0, 0, 100))).toEqual(['3:c=1', '5:a=3']);
      expect(await broker.beginningOffsets('c')).toEqual([{ partition: 0, offset: 0 }]);
      expect(await broker.endOffsets('c')).toEqual([{ partition: 0, offset: 8 }]);
      expect(kv(await broker.fetch('c', 0, 4, 100))).toEqual(['5:a=3']);
      expect(await broker.fetch('c', 0, 6, 100)).toEqual([]);
      expect(await broker.produce('c', [rec('e', '1')])).toEqual([{ partition: 0, offset: 8 }]);
      await reopen();
      expect(kv(await broker.fetch('c', 0, 0, 100))).toEqual(['3:c=1', '5:a=3', '8:e=1']);
      const c = await broker.subscribe({ groupId: 'g', topics: ['c'], fromBeginning: true });
      expect(kv(await c.poll(1, 0))).toEqual(['3:c=1']);
      expect(c.positions()).toEqual([{ topic: 'c', partition: 0, offset: 4 }]);
      await c.close();
    });

    test('runs on segment roll, so a changelog of few keys stays small', async () => {
      await broker.createTopic({ name: 'c', partitions: 1, config: { 'cleanup.policy': 'compact', 'segment.bytes': '2048' } });
      for (let i = 0; i < 500; i++) await broker.produce('c', [rec(`key-${i % 5}`, `value-${i}`, i, 0)]);
      const total = segmentsOf(dir, 'c').reduce((n, f) => n + statSync(f).size, 0);
      expect(total).toBeLessThan(20 * 2048);
      const all = await broker.fetch('c', 0, 0, 1000);
      const latest = new Map(all.map((r) => [text(r.key), text(r.value)]));
      expect([...latest.entries()].sort()).toEqual([0, 1, 2, 3, 4].map((k) => [`key-${k}`, `value-${495 + k}`]));
      expect(all.length).toBeLessThan(500);
    });

    test('only compacted topics can be compacted', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      await expect(broker.compact('t')).rejects.toBeInstanceOf(InvalidTopicError);
    });
  });

  describe('crash repair', () => {
    const fiveRecords = async (): Promise<string> => {
      await broker.createTopic({ name: 't', partitions: 1 });
      await broker.produce('t', Array.from({ length: 5 }, (_, i) => rec('key', `value-${i}`, i, 0)));
      await broker.close();
      return firstSegment(dir, 't');
    };
    const recordBytes = sizeOf('key', 'value-0');

    test('a torn tail (the last record cut short) is truncated on open', async () => {
      const segment = await fiveRecords();
      const whole = statSync(segment).size;
      truncateSync(segment, whole - 3);
      broker = await openFileBroker(dir);
      expect(await broker.endOffsets('t')).toEqual([{ partition: 0, offset: 4 }]);
      expect(values(await broker.fetch('t', 0, 0, 10))).toEqual(['value-0', 'value-1', 'value-2', 'value-3']);
      expect(statSync(segment).size).toBe(whole - recordBytes);
      expect(await broker.produce('t', [rec('key', 'again', 9, 0)])).toEqual([{ partition: 0, offset: 4 }]);
      expect(values(await broker.fetch('t', 0, 3, 10))).toEqual(['value-3', 'again']);
    });

    // What a crash leaves: the writer never closed cleanly, so the active segment has no checkpoint.
    const crashed = (segment: string): void => rmSync(segment.replace(/\.log$/, '.index'), { force: true });

    test('a last record failing its checksum, or zeros after the end, are cut as torn writes', async () => {
      const segment = await fiveRecords();
      crashed(segment);
      const whole = statSync(segment).size;
      const bytes = readFileSync(segment);
      bytes[whole - 2] ^= 0xff;
      writeFileSync(segment, bytes);
      broker = await openFileBroker(dir);
      expect(await broker.endOffsets('t')).toEqual([{ partition: 0, offset: 4 }]);
      await broker.close();
      appendFileSync(segment, Buffer.alloc(300));
      broker = await openFileBroker(dir);
      expect(await broker.endOffsets('t')).toEqual([{ partition: 0, offset: 4 }]);
      expect(statSync(segment).size).toBe(whole - recordBytes);
    });

    test('a clean close checkpoints the active segment: the next open scans only what follows', async () => {
      // 300 records: several index entries (one per 4 KiB).
      await broker.createTopic({ name: 't', partitions: 1 });
      const value = (i: number) => `value-${String(i).padStart(3, '0')}`;
      await broker.produce('t', Array.from({ length: 300 }, (_, i) => rec('key', value(i), i, 0)));
      await broker.close();
      const segment = firstSegment(dir, 't');
      const indexFile = segment.replace(/\.log$/, '.index');
      const checkpoint = readFileSync(indexFile);
      const size = sizeOf('key', value(0));
      // Damage under the checkpoint, before its last entry, is not a torn write (those bytes
      // were synced) and is not looked for on open: the read that reaches it reports it.
      const whole = readFileSync(segment);
      const damaged = Buffer.from(whole);
      const at = 16 + 2 * size; // offset 2
      damaged[at + 35] ^= 0x01;
      writeFileSync(segment, damaged);
      broker = await openFileBroker(dir);
      expect(await broker.endOffsets('t')).toEqual([{ partition: 0, offset: 300 }]);
      const error = await broker.fetch('t', 0, 0, 10).catch((e: unknown) => e);
      expect((error as Error).message).toBe(`Corrupt record in ${segment} at byte ${at} (offset 2): checksum mismatch`);
      await broker.close();
      // Appended after the checkpoint, then a crash (no new checkpoint) tearing the last append:
      // only what follows the checkpoint is scanned, and the torn record is cut.
      writeFileSync(segment, whole);
      broker = await openFileBroker(dir);
      await broker.produce('t', [rec('key', value(300), 300, 0)]);
      await broker.produce('t', [rec('key', value(301), 301, 0)]);
      await broker.close();
      writeFileSync(indexFile, checkpoint);
      truncateSync(segment, statSync(segment).size - 3);
      broker = await openFileBroker(dir);
      expect(await broker.endOffsets('t')).toEqual([{ partition: 0, offset: 301 }]);
      expect(values(await broker.fetch('t', 0, 298, 10))).toEqual([value(298), value(299), value(300)]);
    });

    test('damage near the end of a checkpoint makes the open scan the segment, as without one', async () => {
      const segment = await fiveRecords();
      const bytes = readFileSync(segment);
      bytes[16 + 4 * recordBytes + 35] ^= 0x01; // the last record, after the checkpoint's last entry
      writeFileSync(segment, bytes);
      broker = await openFileBroker(dir);
      expect(await broker.endOffsets('t')).toEqual([{ partition: 0, offset: 4 }]);
    });

    test('a stale checkpoint (a segment cut back or rewritten since) is ignored', async () => {
      const segment = await fiveRecords();
      const checkpoint = readFileSync(segment.replace(/\.log$/, '.index'));
      broker = await openFileBroker(dir);
      await broker.produce('t', [rec('key', 'value-5', 5, 0)]);
      await broker.close();
      // An older checkpoint over a file whose records moved: its last entry no longer matches.
      const bytes = readFileSync(segment);
      writeFileSync(segment, Buffer.concat([bytes.subarray(0, 16), bytes.subarray(16 + recordBytes)]));
      crashed(segment);
      broker = await openFileBroker(dir);
      const scanned = { end: await broker.endOffsets('t'), records: values(await broker.fetch('t', 0, 0, 10)) };
      await broker.close();
      expect(scanned.records).toEqual(['value-1', 'value-2', 'value-3', 'value-4', 'value-5']);
      // The file is as long as the checkpoint says, but its last indexed record is not the one it names.
      writeFileSync(segment.replace(/\.log$/, '.index'), checkpoint);
      broker = await openFileBroker(dir);
      expect({ end: await broker.endOffsets('t'), records: values(await broker.fetch('t', 0, 0, 10)) }).toEqual(scanned);
    });

    test('a damaged record in the middle is reported with file, byte and offset', async () => {
      const segment = await fiveRecords();
      const bytes = readFileSync(segment);
      const at = 16 + 2 * recordBytes; // record at offset 2
      bytes[at + 35] ^= 0x01; // inside its value
      writeFileSync(segment, bytes);
      broker = await openFileBroker(dir);
      const error = await broker.fetch('t', 0, 0, 10).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptRecordError);
      expect(error).toBeInstanceOf(BrokerError);
      expect((error as CorruptRecordError).file).toBe(segment);
      expect((error as CorruptRecordError).offset).toBe(2);
      expect((error as Error).message).toBe(`Corrupt record in ${segment} at byte ${at} (offset 2): checksum mismatch`);
      // The rest of the data directory still works.
      await broker.createTopic({ name: 'fine', partitions: 1 });
      expect(await broker.produce('fine', [rec('k', 'v')])).toEqual([{ partition: 0, offset: 0 }]);
    });

    test('a damaged record in a sealed segment fails the reads that reach it', async () => {
      await reopen({ segmentBytes: 1024 });
      await broker.createTopic({ name: 't', partitions: 1 });
      for (let i = 0; i < 60; i++) await broker.produce('t', [rec('key', `value-${String(i).padStart(2, '0')}`, i, 0)]);
      await broker.close();
      const [sealed] = segmentsOf(dir, 't');
      const bytes = readFileSync(sealed!);
      bytes[16 + 3 * sizeOf('key', 'value-00') + 20] ^= 0x10; // the timestamp of offset 3
      writeFileSync(sealed!, bytes);
      broker = await openFileBroker(dir, { segmentBytes: 1024 });
      expect((await broker.endOffsets('t'))[0]!.offset).toBe(60);
      expect(values(await broker.fetch('t', 0, 50, 5))).toEqual(['value-50', 'value-51', 'value-52', 'value-53', 'value-54']);
      const error = await broker.fetch('t', 0, 0, 10).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptRecordError);
      expect((error as Error).message).toMatch(new RegExp(`^Corrupt record in ${sealed!.replace(/[.]/g, '\\.')} at byte \\d+ \\(offset 3\\)`));
    });
  });

  describe('storage errors', () => {
    const saved = { ...io };
    afterEach(() => Object.assign(io, saved));

    test('a full disk fails the produce clearly and leaves the log as it was', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      await broker.produce('t', [rec('k', 'before', 1, 0)]);
      const segment = firstSegment(dir, 't');
      const size = statSync(segment).size;
      let calls = 0;
      // Half the batch lands, then the disk is full.
      io.write = (fd, buf, off, len, pos) => {
        if (++calls === 1) return saved.write(fd, buf, off, Math.floor(len / 2), pos);
        throw errnoError('ENOSPC');
      };
      const error = await broker.produce('t', [rec('k', 'lost-1', 1, 0), rec('k', 'lost-2', 1, 0)]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ code: 'ENOSPC', retriable: true, path: segment });
      expect((error as Error).message).toBe(`No space left on device (ENOSPC) while appending to ${segment}`);
      io.write = saved.write;
      expect(statSync(segment).size).toBe(size);
      expect(await broker.endOffsets('t')).toEqual([{ partition: 0, offset: 1 }]);
      expect(await broker.produce('t', [rec('k', 'after', 1, 0)])).toEqual([{ partition: 0, offset: 1 }]);
      await reopen();
      expect(values(await broker.fetch('t', 0, 0, 10))).toEqual(['before', 'after']);
    });

    test('a failed fsync is a failed produce', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      io.fdatasync = () => {
        throw errnoError('EIO');
      };
      await expect(broker.produce('t', [rec('k', 'v', 1, 0)])).rejects.toMatchObject({ name: 'StorageError', code: 'EIO', retriable: false });
      io.fdatasync = saved.fdatasync;
      expect(await broker.endOffsets('t')).toEqual([{ partition: 0, offset: 0 }]);
      expect(statSync(firstSegment(dir, 't')).size).toBe(16);
    });

    test('no permission and a read-only file system are reported, nothing is created', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      io.open = (path, flags, mode) => {
        if (flags === 'r+') throw errnoError('EACCES');
        return saved.open(path, flags, mode);
      };
      const denied = await broker.produce('t', [rec('k', 'v', 1, 0)]).catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(StorageError);
      expect((denied as Error).message).toMatch(/^Permission denied \(EACCES\) while opening for append .*00000000000000000000\.log$/);
      io.open = saved.open;
      io.mkdir = () => {
        throw errnoError('EROFS');
      };
      const readOnly = await broker.createTopic({ name: 'new', partitions: 1 }).catch((e: unknown) => e);
      expect(readOnly).toMatchObject({ name: 'StorageError', code: 'EROFS', retriable: false });
      expect((readOnly as Error).message).toMatch(/^Read-only file system \(EROFS\) while creating topic /);
      io.mkdir = saved.mkdir;
      expect(await broker.topicExists('new')).toBe(false);
      expect(await broker.listTopics()).toEqual(['t']);
    });

    test('a data directory that cannot be created is a StorageError from the factory', async () => {
      io.mkdir = () => {
        throw errnoError('EACCES');
      };
      await expect(openFileBroker(join(tempDir(), 'sub'))).rejects.toMatchObject({ name: 'StorageError', code: 'EACCES' });
    });
  });

  describe('fsync policy', () => {
    const saved = { ...io };
    afterEach(() => Object.assign(io, saved));

    test("'always' syncs each produce batch; 'interval' on a timer and on flush", async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      let syncs = 0;
      io.fdatasync = (fd) => {
        syncs++;
        saved.fdatasync(fd);
      };
      await broker.produce('t', [rec('k', '1', 1, 0), rec('k', '2', 1, 0)]);
      expect(syncs).toBe(1);
      await reopen({ fsync: 'interval', fsyncIntervalMs: 30 });
      syncs = 0;
      await broker.produce('t', [rec('k', '3', 1, 0)]);
      await broker.produce('t', [rec('k', '4', 1, 0)]);
      expect(syncs).toBe(0);
      await new Promise((r) => setTimeout(r, 120));
      expect(syncs).toBe(1);
      await broker.produce('t', [rec('k', '5', 1, 0)]);
      await broker.flush();
      expect(syncs).toBe(2);
    });
  });

  describe('transactions', () => {
    const saved = { ...io };
    afterEach(() => Object.assign(io, saved));

    test('committed records and offsets survive a reopen', async () => {
      await broker.createTopic({ name: 'in', partitions: 1 });
      await broker.createTopic({ name: 'out', partitions: 2 });
      const txn = await broker.transaction('tx');
      await txn.produce('out', [rec('a', 'x', 1, 0), rec('b', 'y', 1, 1)]);
      await txn.sendOffsets('g', [{ topic: 'in', partition: 0, offset: 42 }]);
      await txn.commit();
      await reopen();
      expect(values(await broker.fetch('out', 0, 0, 10))).toEqual(['x']);
      expect(values(await broker.fetch('out', 1, 0, 10))).toEqual(['y']);
      expect(await broker.committedOffsets('g', 'in')).toEqual([{ partition: 0, offset: 42 }]);
      expect(readdirSync(join(dir, 'transactions', 'pending'))).toEqual([]);
    });

    test('a commit that fails half applied is undone: nothing visible, no pending file', async () => {
      await broker.createTopic({ name: 'out', partitions: 2 });
      await broker.produce('out', [rec('a', 'before', 1, 1)]);
      const txn = await broker.transaction('tx');
      await txn.produce('out', [rec('a', 'x', 1, 0), rec('b', 'y', 1, 1)]);
      await txn.sendOffsets('g', [{ topic: 'out', partition: 0, offset: 1 }]);
      let writes = 0;
      // 1: the pending file, 2: partition 0, 3: partition 1 fails.
      io.write = (fd, buf, off, len, pos) => {
        if (++writes === 3) throw errnoError('ENOSPC');
        return saved.write(fd, buf, off, len, pos);
      };
      await expect(txn.commit()).rejects.toMatchObject({ name: 'StorageError', code: 'ENOSPC' });
      io.write = saved.write;
      expect(await broker.fetch('out', 0, 0, 10)).toEqual([]);
      expect(values(await broker.fetch('out', 1, 0, 10))).toEqual(['before']);
      expect(await broker.committedOffsets('g', 'out')).toEqual([
        { partition: 0, offset: null },
        { partition: 1, offset: null },
      ]);
      expect(readdirSync(join(dir, 'transactions', 'pending'))).toEqual([]);
      const next = await broker.transaction('tx');
      await next.produce('out', [rec('a', 'z', 1, 0)]);
      await next.commit();
      expect(kv(await broker.fetch('out', 0, 0, 10))).toEqual(['0:a=z']);
    });
  });
});
