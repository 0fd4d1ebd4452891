import {
  ClientClosedError,
  InvalidTopicError,
  NotAssignedError,
  OffsetOutOfRangeError,
  UnknownPartitionError,
  UnknownTopicError,
  createMemoryBroker,
  type ConsumedRecord,
  type Header,
  type MemoryBroker,
  type ProducerRecord,
} from '../../src/broker/index.js';
import { describeBrokerConformance, pollN, rec, text, utf8, values } from './port-conformance.js';

describeBrokerConformance('memory', () => createMemoryBroker(), { transactions: true });

describe('memory broker', () => {
  let broker: MemoryBroker;
  beforeEach(() => {
    broker = createMemoryBroker();
  });
  afterEach(async () => {
    await broker.close();
  });

  const kv = (records: readonly ConsumedRecord[]) => records.map((r) => `${r.offset}:${text(r.key)}=${text(r.value)}`);

  // Speed is measured by `npm run bench`, never asserted here; these check behaviour at volume.
  describe('volume', () => {
    test('a large produce lands every record; fetch pages from any offset', async () => {
      await broker.createTopic({ name: 'big', partitions: 4 });
      const value = utf8('{"v":1}');
      const keys = Array.from({ length: 1000 }, (_, i) => utf8(`k${i}`));
      const records: ProducerRecord[] = new Array(200_000);
      for (let i = 0; i < records.length; i++) records[i] = { key: keys[i % 1000]!, value, timestamp: i };
      const meta = await broker.produce('big', records);
      expect(meta).toHaveLength(200_000);
      const ends = await broker.endOffsets('big');
      expect(ends.reduce((n, e) => n + e.offset, 0)).toBe(200_000);
      const page = await broker.fetch('big', 0, 10_000, 10_000);
      expect(page).toHaveLength(10_000);
      expect(page[0]!.offset).toBe(10_000);
    });

    test('a consumer drains 200k records over 4 partitions in timestamp order', async () => {
      await broker.createTopic({ name: 'drain', partitions: 4 });
      const records: ProducerRecord[] = Array.from({ length: 200_000 }, (_, i) => ({ key: null, value: null, timestamp: i }));
      await broker.produce('drain', records);
      const c = await broker.subscribe({ groupId: 'g', topics: ['drain'], fromBeginning: true });
      let last = -1;
      let n = 0;
      let disordered = 0;
      for (;;) {
        const batch = await c.poll(10_000, 0);
        if (batch.length === 0) break;
        for (const r of batch) {
          if (r.timestamp <= last) disordered++;
          last = r.timestamp;
        }
        n += batch.length;
      }
      expect(n).toBe(200_000);
      expect(disordered).toBe(0);
    });
  });

  describe('partitioning', () => {
    test('null keys round-robin from partition 0', async () => {
      await broker.createTopic({ name: 't', partitions: 3 });
      const meta = await broker.produce('t', Array.from({ length: 5 }, () => rec(null, 'v')));
      expect(meta.map((m) => m.partition)).toEqual([0, 1, 2, 0, 1]);
    });

    test('a custom partitioner is used for records without partition', async () => {
      const custom = createMemoryBroker({ partitioner: () => 1 });
      await custom.createTopic({ name: 't', partitions: 2 });
      expect(await custom.produce('t', [rec('a', 'v'), rec('b', 'v', 1, 0)])).toEqual([
        { partition: 1, offset: 0 },
        { partition: 0, offset: 0 },
      ]);
      await custom.close();
    });
  });

  describe('batches', () => {
    test('a batch with one bad record appends nothing', async () => {
      await broker.createTopic({ name: 't', partitions: 2 });
      await expect(broker.produce('t', [rec('a', '1', 1, 0), rec('a', '2', 1, 9)])).rejects.toBeInstanceOf(UnknownPartitionError);
      await expect(broker.produce('t', [rec('a', '1', 1, 0), rec('a', '2', Number.NaN)])).rejects.toThrow(/timestamp/);
      expect(await broker.endOffsets('t')).toEqual([
        { partition: 0, offset: 0 },
        { partition: 1, offset: 0 },
      ]);
    });

    test('headers are copied at produce, so later changes to the array do not leak in', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      const headers: Header[] = [{ key: 'a', value: utf8('1') }];
      await broker.produce('t', [{ key: null, value: null, timestamp: 0, headers }]);
      headers.push({ key: 'b', value: null });
      const [r] = await broker.fetch('t', 0, 0, 1);
      expect(r!.headers).toEqual([{ key: 'a', value: utf8('1') }]);
    });

    test('bad arguments are refused rather than looping', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      await expect(broker.fetch('t', 0, 0, 0)).rejects.toThrow(/maxRecords/);
      await expect(broker.fetch('t', 0, 0, 1, Number.NaN)).rejects.toThrow(/maxWaitMs/);
      const c = await broker.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true });
      await expect(c.poll(1, Number.NaN)).rejects.toThrow(/timeoutMs/);
      await expect(c.poll(0, 0)).rejects.toThrow(/maxRecords/);
      expect(() => c.seek('t', 0, -1)).toThrow(/offset/);
    });
  });

  describe('topics', () => {
    test('configs are validated and kept as given', async () => {
      await expect(broker.createTopic({ name: 't', partitions: 1, config: { 'cleanup.policy': 'shred' } })).rejects.toBeInstanceOf(
        InvalidTopicError,
      );
      await expect(broker.createTopic({ name: 't', partitions: 1, replicas: 0 })).rejects.toBeInstanceOf(InvalidTopicError);
      await expect(broker.createTopic({ name: 'x'.repeat(250), partitions: 1 })).rejects.toBeInstanceOf(InvalidTopicError);
      await broker.createTopic({ name: 't', partitions: 1, replicas: 3, config: { 'cleanup.policy': 'compact,delete', 'retention.ms': '-1' } });
      expect(await broker.describeTopic('t')).toEqual({
        name: 't',
        partitions: 1,
        replicas: 3,
        config: { 'cleanup.policy': 'compact,delete', 'retention.ms': '-1' },
      });
      await expect(broker.produce('t', [rec(null, 'v')])).rejects.toThrow(/without key/);
    });

    test('describeTopic returns a copy', async () => {
      await broker.createTopic({ name: 't', partitions: 1, config: { a: '1' } });
      const d = await broker.describeTopic('t');
      (d!.config as Record<string, string>).a = '2';
      expect((await broker.describeTopic('t'))!.config).toEqual({ a: '1' });
    });

    test('a fetch waiting on a topic that gets deleted fails', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      const pending = broker.fetch('t', 0, 0, 1, 10_000);
      await broker.deleteTopic('t');
      await expect(pending).rejects.toBeInstanceOf(UnknownTopicError);
    });

    test('a consumer loses the partitions of a deleted topic and gets the new one', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      await broker.produce('t', [rec('k', 'old')]);
      const revoked: string[] = [];
      const c = await broker.subscribe({
        groupId: 'g',
        topics: ['t'],
        fromBeginning: true,
        onRevoke: (tps) => void revoked.push(...tps.map((tp) => `${tp.topic}-${tp.partition}`)),
      });
      expect(values(await c.poll(10, 0))).toEqual(['old']);
      await c.commit();
      await broker.deleteTopic('t');
      // Before the next poll revokes it, the dead partition is already out of sight.
      expect(c.positions()).toEqual([]);
      await c.commit();
      expect(() => c.seek('t', 0, 0)).toThrow(NotAssignedError);
      expect(await c.poll(10, 0)).toEqual([]);
      expect(revoked).toEqual(['t-0']);
      expect(c.assignment()).toEqual([]);
      await broker.createTopic({ name: 't', partitions: 1 });
      await broker.produce('t', [rec('k', 'new')]);
      expect(values(await pollN(c, 1))).toEqual(['new']);
      await c.close();
    });
  });

  describe('compaction', () => {
    test('keeps the latest value per key, drops tombstones, keeps offsets', async () => {
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
      // Reads from inside a gap start at the next surviving record.
      expect(kv(await broker.fetch('c', 0, 4, 100))).toEqual(['5:a=3']);
      expect(await broker.fetch('c', 0, 6, 100)).toEqual([]);
      // New records keep counting from the old end.
      expect(await broker.produce('c', [rec('e', '1')])).toEqual([{ partition: 0, offset: 8 }]);
      expect(kv(await broker.fetch('c', 0, 6, 100))).toEqual(['8:e=1']);
    });

    test('keys compare by bytes, partitions compact separately', async () => {
      await broker.createTopic({ name: 'c', partitions: 2, config: { 'cleanup.policy': 'compact' } });
      await broker.produce('c', [
        { key: new Uint8Array([0xff, 0]), value: utf8('x'), timestamp: 0, partition: 0 },
        { key: new Uint8Array([0xff]), value: utf8('y'), timestamp: 0, partition: 0 },
        { key: new Uint8Array([0xff, 0]), value: utf8('z'), timestamp: 0, partition: 0 },
        { key: new Uint8Array([0xff]), value: utf8('other'), timestamp: 0, partition: 1 },
      ]);
      await broker.compact('c');
      expect(values(await broker.fetch('c', 0, 0, 10))).toEqual(['y', 'z']);
      expect(values(await broker.fetch('c', 1, 0, 10))).toEqual(['other']);
    });

    test('a consumer reads across the gaps and commits past them', async () => {
      await broker.createTopic({ name: 'c', partitions: 1, config: { 'cleanup.policy': 'compact' } });
      await broker.produce('c', [rec('a', '1'), rec('a', '2'), rec('b', '1'), rec('b', '2')]);
      await broker.compact('c');
      const c = await broker.subscribe({ groupId: 'g', topics: ['c'], fromBeginning: true });
      expect(kv(await c.poll(1, 0))).toEqual(['1:a=2']);
      expect(c.positions()).toEqual([{ topic: 'c', partition: 0, offset: 2 }]);
      expect(kv(await c.poll(10, 0))).toEqual(['3:b=2']);
      expect(c.positions()).toEqual([{ topic: 'c', partition: 0, offset: 4 }]);
      await c.close();
    });

    test('only compacted topics can be compacted', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      await expect(broker.compact('t')).rejects.toBeInstanceOf(InvalidTopicError);
    });
  });

  describe('groups', () => {
    test('a partition moves only after its old owner let go', async () => {
      await broker.createTopic({ name: 't', partitions: 2 });
      await broker.produce('t', [rec('a', 'p0', 1, 0), rec('b', 'p1', 1, 1)]);
      const a = await broker.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true });
      const b = await broker.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true });
      // b is targeted partition 1 but a still owns it until a polls.
      expect(b.assignment()).toEqual([]);
      expect(await b.poll(10, 0)).toEqual([]);
      expect((await broker.describeGroup('g'))?.state).toBe('PreparingRebalance');
      expect(values(await a.poll(10, 0))).toEqual(['p0']);
      expect(a.assignment()).toEqual([{ topic: 't', partition: 0 }]);
      expect(values(await b.poll(10, 0))).toEqual(['p1']);
      expect((await broker.describeGroup('g'))?.state).toBe('Stable');
      await Promise.all([a.close(), b.close()]);
      expect((await broker.describeGroup('g'))).toBeUndefined();
    });

    test('a member waiting for a partition is woken when it is released', async () => {
      await broker.createTopic({ name: 't', partitions: 2 });
      await broker.produce('t', [rec('b', 'p1', 1, 1)]);
      const a = await broker.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true });
      const b = await broker.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true });
      const waiting = b.poll(10, 10_000);
      await a.poll(10, 0);
      expect(values(await waiting)).toEqual(['p1']);
      await Promise.all([a.close(), b.close()]);
    });

    test('waitForData reports a pending rebalance', async () => {
      await broker.createTopic({ name: 't', partitions: 2 });
      const a = await broker.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true });
      expect(await a.waitForData(0)).toBe(false);
      const b = await broker.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true });
      expect(await a.waitForData(0)).toBe(true);
      await a.poll(1, 0);
      expect(await a.waitForData(0)).toBe(false);
      await Promise.all([a.close(), b.close()]);
    });

    test('a committed offset outside the log resets by fromBeginning', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      await broker.produce('t', [rec('a', '0'), rec('a', '1'), rec('a', '2')]);
      await broker.commitOffsets('early', [{ topic: 't', partition: 0, offset: 99 }]);
      await broker.commitOffsets('late', [{ topic: 't', partition: 0, offset: 99 }]);
      const early = await broker.subscribe({ groupId: 'early', topics: ['t'], fromBeginning: true });
      const late = await broker.subscribe({ groupId: 'late', topics: ['t'], fromBeginning: false });
      expect(values(await early.poll(10, 0))).toEqual(['0', '1', '2']);
      expect(late.positions()).toEqual([{ topic: 't', partition: 0, offset: 3 }]);
      await Promise.all([early.close(), late.close()]);
    });

    test('a position left behind by deleteRecords resets by fromBeginning', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      await broker.produce('t', [rec('a', '0'), rec('a', '1'), rec('a', '2')]);
      const c = await broker.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true });
      await broker.deleteRecords('t', [{ partition: 0, offset: 2 }]);
      expect(values(await c.poll(10, 0))).toEqual(['2']);
      await c.close();
    });

    test('onRevoke on close can still commit', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      await broker.produce('t', [rec('a', '0'), rec('a', '1')]);
      const c = await broker.subscribe({
        groupId: 'g',
        topics: ['t'],
        fromBeginning: true,
        onRevoke: () => c.commit(),
      });
      await c.poll(1, 0);
      await c.close();
      expect(await broker.committedOffsets('g', 't')).toEqual([{ partition: 0, offset: 1 }]);
      await expect(c.commit()).rejects.toBeInstanceOf(ClientClosedError);
    });

    test('a deleted group is gone; lag is never negative', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      await broker.commitOffsets('g', [{ topic: 't', partition: 0, offset: 5 }]);
      expect((await broker.describeGroup('g'))?.offsets).toEqual([{ topic: 't', partition: 0, committed: 5, end: 0, lag: 0 }]);
      expect(await broker.listGroups()).toEqual(['g']);
      await broker.deleteGroup('g');
      expect(await broker.listGroups()).toEqual([]);
    });
  });

  describe('transactions', () => {
    test('commit fails whole when a topic vanished since produce', async () => {
      await broker.createTopic({ name: 'a', partitions: 1 });
      await broker.createTopic({ name: 'b', partitions: 1 });
      const txn = await broker.transaction('tx');
      await txn.produce('a', [rec('k', 'v')]);
      await txn.produce('b', [rec('k', 'v')]);
      await txn.sendOffsets('g', [{ topic: 'a', partition: 0, offset: 1 }]);
      await broker.deleteTopic('b');
      await expect(txn.commit()).rejects.toBeInstanceOf(UnknownTopicError);
      expect(await broker.fetch('a', 0, 0, 10)).toEqual([]);
      expect(await broker.committedOffsets('g', 'a')).toEqual([{ partition: 0, offset: null }]);
    });

    test('a failed produce makes the transaction abort-only', async () => {
      await broker.createTopic({ name: 'a', partitions: 1 });
      const txn = await broker.transaction('tx');
      await txn.produce('a', [rec('k', 'ok')]);
      await expect(txn.produce('a', [rec('k', 'bad', 1, 4)])).rejects.toBeInstanceOf(UnknownPartitionError);
      await expect(txn.commit()).rejects.toThrow(/must be aborted/);
      await txn.abort();
      expect(await broker.fetch('a', 0, 0, 10)).toEqual([]);
      // The id is free again.
      const next = await broker.transaction('tx');
      await next.produce('a', [rec('k', 'next')]);
      await next.commit();
      expect(values(await broker.fetch('a', 0, 0, 10))).toEqual(['next']);
    });

    test('the records array is copied at produce', async () => {
      await broker.createTopic({ name: 'a', partitions: 1 });
      const txn = await broker.transaction('tx');
      const batch = [rec('k', 'kept')];
      await txn.produce('a', batch);
      batch.push(rec('k', 'sneaked in'));
      await txn.commit();
      expect(values(await broker.fetch('a', 0, 0, 10))).toEqual(['kept']);
    });

    test('offsets are contiguous and records interleave with plain produce in commit order', async () => {
      await broker.createTopic({ name: 'a', partitions: 1 });
      const txn = await broker.transaction('tx');
      await txn.produce('a', [rec('k', 'txn-1'), rec('k', 'txn-2')]);
      await broker.produce('a', [rec('k', 'plain')]);
      await txn.commit();
      expect(kv(await broker.fetch('a', 0, 0, 10))).toEqual(['0:k=plain', '1:k=txn-1', '2:k=txn-2']);
    });
  });

  describe('close', () => {
    test('a waiting fetch returns [] when the broker closes', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      const pending = broker.fetch('t', 0, 0, 1, 10_000);
      await broker.close();
      expect(await pending).toEqual([]);
    });

    test('errors carry their class name and retriable flag', async () => {
      await broker.createTopic({ name: 't', partitions: 1 });
      const error = await broker.fetch('t', 0, 5, 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OffsetOutOfRangeError);
      expect((error as Error).name).toBe('OffsetOutOfRangeError');
      expect((error as OffsetOutOfRangeError).retriable).toBe(false);
    });
  });
});
