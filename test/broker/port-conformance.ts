/**
 * The Broker port's contract as tests, for every adapter: call
 * describeBrokerConformance with a factory from the adapter's own test file.
 * Names of topics and groups are unique per test, so the suite can run
 * against a shared Kafka cluster. Nothing here assumes offsets are dense
 * across transactions (Kafka writes markers) or that rebalances are instant.
 */

import {
  ConcurrentUseError,
  GroupNotEmptyError,
  InvalidRecordError,
  InvalidTopicError,
  InvalidTxnStateError,
  NotAssignedError,
  OffsetOutOfRangeError,
  ProducerFencedError,
  TopicExistsError,
  UnknownGroupError,
  UnknownPartitionError,
  UnknownTopicError,
  partitionForKey,
  type Broker,
  type ConsumedRecord,
  type Consumer,
  type ProducerRecord,
  type TopicPartition,
} from '../../src/broker/index.js';

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

/** A keyed record with string key/value at a timestamp. */
export const rec = (key: string | null, value: string | null, timestamp = 1000, partition?: number): ProducerRecord => ({
  key: key === null ? null : utf8(key),
  value: value === null ? null : utf8(value),
  timestamp,
  ...(partition === undefined ? {} : { partition }),
});

export const values = (records: readonly ConsumedRecord[]): Array<string | null> => records.map((r) => text(r.value));

let seq = 0;
/** A name no other test (nor an earlier run against the same cluster) uses. */
export const unique = (prefix: string): string =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

/** Poll until n records arrived or the deadline passed. */
export async function pollN(consumer: Consumer, n: number, timeoutMs = 5000): Promise<ConsumedRecord[]> {
  const out: ConsumedRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n && Date.now() < deadline) {
    out.push(...(await consumer.poll(n - out.length, Math.max(1, deadline - Date.now()))));
  }
  return out;
}

export interface ConformanceOptions {
  /** Whether the adapter implements transaction(). */
  transactions: boolean;
  /**
   * Poll rounds (of about 10 ms each) the rebalance tests give a group to
   * settle; default 50. An in-process coordinator settles in a few rounds;
   * a real Kafka needs heartbeats and JoinGroup/SyncGroup round trips per
   * step, and a loaded CI machine more.
   */
  rebalanceRounds?: number;
}

export function describeBrokerConformance(
  adapter: string,
  make: () => Broker | Promise<Broker>,
  options: ConformanceOptions,
): void {
  const rounds = options.rebalanceRounds ?? 50;
  describe(`Broker port conformance: ${adapter}`, () => {
    let broker: Broker;
    beforeEach(async () => {
      broker = await make();
    });
    afterEach(async () => {
      await broker.close();
    });

    const topicWith = async (partitions: number, config?: Record<string, string>): Promise<string> => {
      const name = unique('t');
      await broker.createTopic({ name, partitions, ...(config === undefined ? {} : { config }) });
      return name;
    };

    describe('admin', () => {
      test('createTopic, then describe, list and exists see it', async () => {
        const name = unique('admin');
        await broker.createTopic({ name, partitions: 3, replicas: 1, config: { 'cleanup.policy': 'compact' } });
        expect(await broker.describeTopic(name)).toEqual({
          name,
          partitions: 3,
          replicas: 1,
          config: { 'cleanup.policy': 'compact' },
        });
        expect(await broker.listTopics()).toContain(name);
        expect(await broker.topicExists(name)).toBe(true);
      });

      test('replicas default to 1', async () => {
        const name = await topicWith(1);
        expect((await broker.describeTopic(name))?.replicas).toBe(1);
      });

      test('listTopics is sorted', async () => {
        const names = await broker.listTopics();
        expect([...names].sort()).toEqual(names);
      });

      test('creating a taken name fails, unless ifNotExists, which changes nothing', async () => {
        const name = await topicWith(2);
        const error = await broker.createTopic({ name, partitions: 5 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TopicExistsError);
        expect((error as TopicExistsError).retriable).toBe(false);
        await broker.createTopic({ name, partitions: 5, ifNotExists: true });
        expect((await broker.describeTopic(name))?.partitions).toBe(2);
      });

      test('invalid names and partition counts are refused', async () => {
        await expect(broker.createTopic({ name: unique('bad'), partitions: 0 })).rejects.toBeInstanceOf(InvalidTopicError);
        await expect(broker.createTopic({ name: 'has space', partitions: 1 })).rejects.toBeInstanceOf(InvalidTopicError);
        await expect(broker.createTopic({ name: '', partitions: 1 })).rejects.toBeInstanceOf(InvalidTopicError);
        await expect(broker.createTopic({ name: '..', partitions: 1 })).rejects.toBeInstanceOf(InvalidTopicError);
      });

      test('an unknown topic is undefined to describe and an error to delete', async () => {
        const name = unique('missing');
        expect(await broker.describeTopic(name)).toBeUndefined();
        expect(await broker.topicExists(name)).toBe(false);
        const error = await broker.deleteTopic(name).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UnknownTopicError);
        expect((error as UnknownTopicError).retriable).toBe(true);
      });

      test('deleteTopic removes the topic and its records; a new one starts afresh', async () => {
        const name = await topicWith(1);
        await broker.produce(name, [rec('k', 'old')]);
        await broker.deleteTopic(name);
        expect(await broker.topicExists(name)).toBe(false);
        expect(await broker.listTopics()).not.toContain(name);
        await expect(broker.produce(name, [rec('k', 'v')])).rejects.toBeInstanceOf(UnknownTopicError);
        await broker.createTopic({ name, partitions: 1 });
        expect(await broker.endOffsets(name)).toEqual([{ partition: 0, offset: 0 }]);
        const [meta] = await broker.produce(name, [rec('k', 'new')]);
        expect(meta).toEqual({ partition: 0, offset: 0 });
        expect(values(await broker.fetch(name, 0, 0, 10))).toEqual(['new']);
      });
    });

    describe('produce and fetch', () => {
      test('records come back with every field, offsets counting from 0 per partition', async () => {
        const name = await topicWith(1);
        const meta = await broker.produce(name, [
          { key: utf8('k1'), value: utf8('v1'), timestamp: 1_700_000_000_123, headers: [{ key: 'h', value: utf8('x') }] },
          { key: null, value: null, timestamp: 0 },
          {
            key: new Uint8Array(0),
            value: utf8('v3'),
            timestamp: 5,
            headers: [
              { key: 'dup', value: utf8('a') },
              { key: 'dup', value: null },
            ],
          },
        ]);
        expect(meta).toEqual([
          { partition: 0, offset: 0 },
          { partition: 0, offset: 1 },
          { partition: 0, offset: 2 },
        ]);
        const records = await broker.fetch(name, 0, 0, 10);
        expect(records.map((r) => ({ ...r, key: text(r.key), value: text(r.value) }))).toEqual([
          { topic: name, partition: 0, offset: 0, key: 'k1', value: 'v1', timestamp: 1_700_000_000_123, headers: [{ key: 'h', value: utf8('x') }] },
          { topic: name, partition: 0, offset: 1, key: null, value: null, timestamp: 0, headers: [] },
          {
            topic: name,
            partition: 0,
            offset: 2,
            key: '',
            value: 'v3',
            timestamp: 5,
            headers: [
              { key: 'dup', value: utf8('a') },
              { key: 'dup', value: null },
            ],
          },
        ]);
      });

      test('an empty batch is a no-op', async () => {
        const name = await topicWith(1);
        expect(await broker.produce(name, [])).toEqual([]);
        expect(await broker.endOffsets(name)).toEqual([{ partition: 0, offset: 0 }]);
      });

      test('an explicit partition is honoured; one outside the topic is refused', async () => {
        const name = await topicWith(3);
        expect(await broker.produce(name, [rec('a', '1', 1, 2), rec('a', '2', 1, 2)])).toEqual([
          { partition: 2, offset: 0 },
          { partition: 2, offset: 1 },
        ]);
        const error = await broker.produce(name, [rec('a', '3', 1, 3)]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UnknownPartitionError);
        await expect(broker.fetch(name, 7, 0, 1)).rejects.toBeInstanceOf(UnknownPartitionError);
      });

      test('keyed records go where Kafka default partitioner puts them', async () => {
        const name = await topicWith(6);
        const keys = Array.from({ length: 50 }, (_, i) => `key-${i}`);
        const meta = await broker.produce(name, keys.map((k) => rec(k, k)));
        meta.forEach((m, i) => expect(m.partition).toBe(partitionForKey(utf8(keys[i]!), 6)));
      });

      test('null keys are spread over all partitions', async () => {
        const name = await topicWith(3);
        const meta = await broker.produce(name, Array.from({ length: 30 }, (_, i) => rec(null, `${i}`)));
        expect(new Set(meta.map((m) => m.partition))).toEqual(new Set([0, 1, 2]));
      });

      test('produce to an unknown topic fails retriably', async () => {
        const error = await broker.produce(unique('missing'), [rec('k', 'v')]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UnknownTopicError);
        expect((error as UnknownTopicError).retriable).toBe(true);
      });

      test('a negative timestamp is refused', async () => {
        const name = await topicWith(1);
        await expect(broker.produce(name, [rec('k', 'v', -5)])).rejects.toBeInstanceOf(InvalidRecordError);
      });

      test('a compacted topic refuses records without key', async () => {
        const name = await topicWith(1, { 'cleanup.policy': 'compact' });
        await expect(broker.produce(name, [rec(null, 'v')])).rejects.toBeInstanceOf(InvalidRecordError);
        await broker.produce(name, [rec('k', null)]); // tombstones are fine
      });

      test('fetch reads from an offset, up to maxRecords', async () => {
        const name = await topicWith(1);
        await broker.produce(name, Array.from({ length: 10 }, (_, i) => rec('k', `${i}`)));
        expect(values(await broker.fetch(name, 0, 3, 4))).toEqual(['3', '4', '5', '6']);
        expect(values(await broker.fetch(name, 0, 8, 100))).toEqual(['8', '9']);
        expect(await broker.fetch(name, 0, 10, 100)).toEqual([]);
      });

      test('fetch outside [beginning, end] is OffsetOutOfRange', async () => {
        const name = await topicWith(1);
        await broker.produce(name, [rec('k', 'v')]);
        const error = await broker.fetch(name, 0, 2, 1).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OffsetOutOfRangeError);
        expect((error as OffsetOutOfRangeError).range).toEqual({ beginning: 0, end: 1 });
        await expect(broker.fetch(name, 0, -1, 1)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
      });

      test('fetch with maxWaitMs wakes when a produce lands', async () => {
        const name = await topicWith(1);
        const started = Date.now();
        const pending = broker.fetch(name, 0, 0, 10, 10_000);
        setTimeout(() => void broker.produce(name, [rec('k', 'late')]), 30);
        expect(values(await pending)).toEqual(['late']);
        expect(Date.now() - started).toBeLessThan(5000);
      });

      test('fetch with maxWaitMs gives [] after the wait', async () => {
        const name = await topicWith(1);
        const started = Date.now();
        expect(await broker.fetch(name, 0, 0, 10, 50)).toEqual([]);
        expect(Date.now() - started).toBeGreaterThanOrEqual(40);
      });

      test('endOffsets and beginningOffsets cover every partition', async () => {
        const name = await topicWith(3);
        await broker.produce(name, [rec('a', '1', 1, 0), rec('a', '2', 1, 0), rec('a', '3', 1, 2)]);
        expect(await broker.endOffsets(name)).toEqual([
          { partition: 0, offset: 2 },
          { partition: 1, offset: 0 },
          { partition: 2, offset: 1 },
        ]);
        expect(await broker.beginningOffsets(name)).toEqual([0, 1, 2].map((partition) => ({ partition, offset: 0 })));
        await expect(broker.endOffsets(unique('missing'))).rejects.toBeInstanceOf(UnknownTopicError);
      });

      test('deleteRecords moves the log start', async () => {
        const name = await topicWith(1);
        await broker.produce(name, Array.from({ length: 5 }, (_, i) => rec('k', `${i}`)));
        await broker.deleteRecords(name, [{ partition: 0, offset: 3 }]);
        expect(await broker.beginningOffsets(name)).toEqual([{ partition: 0, offset: 3 }]);
        expect(await broker.endOffsets(name)).toEqual([{ partition: 0, offset: 5 }]);
        expect(values(await broker.fetch(name, 0, 3, 10))).toEqual(['3', '4']);
        await expect(broker.fetch(name, 0, 2, 10)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
        await expect(broker.deleteRecords(name, [{ partition: 0, offset: 6 }])).rejects.toBeInstanceOf(OffsetOutOfRangeError);
      });
    });

    describe('consumer groups, offsets', () => {
      test('commitOffsets and committedOffsets; null where never committed', async () => {
        const name = await topicWith(2);
        const group = unique('g');
        expect(await broker.committedOffsets(group, name)).toEqual([
          { partition: 0, offset: null },
          { partition: 1, offset: null },
        ]);
        await broker.commitOffsets(group, [{ topic: name, partition: 1, offset: 7 }]);
        expect(await broker.committedOffsets(group, name)).toEqual([
          { partition: 0, offset: null },
          { partition: 1, offset: 7 },
        ]);
        expect(await broker.listGroups()).toContain(group);
      });

      test('committing to an unknown topic or partition fails', async () => {
        const name = await topicWith(1);
        const group = unique('g');
        await expect(broker.commitOffsets(group, [{ topic: unique('missing'), partition: 0, offset: 1 }])).rejects.toBeInstanceOf(
          UnknownTopicError,
        );
        await expect(broker.commitOffsets(group, [{ topic: name, partition: 1, offset: 1 }])).rejects.toBeInstanceOf(
          UnknownPartitionError,
        );
      });

      test('describeGroup reports committed offsets and lag', async () => {
        const name = await topicWith(2);
        const group = unique('g');
        await broker.produce(name, [rec('a', '1', 1, 0), rec('a', '2', 1, 0), rec('a', '3', 1, 0), rec('b', '1', 1, 1)]);
        await broker.commitOffsets(group, [{ topic: name, partition: 0, offset: 1 }]);
        expect(await broker.describeGroup(group)).toEqual({
          groupId: group,
          state: 'Empty',
          members: [],
          offsets: [{ topic: name, partition: 0, committed: 1, end: 3, lag: 2 }],
        });
      });

      test('an unknown group is undefined to describe and an error to delete', async () => {
        const group = unique('nobody');
        expect(await broker.describeGroup(group)).toBeUndefined();
        await expect(broker.deleteGroup(group)).rejects.toBeInstanceOf(UnknownGroupError);
      });

      test('deleteGroup forgets the offsets', async () => {
        const name = await topicWith(1);
        const group = unique('g');
        await broker.commitOffsets(group, [{ topic: name, partition: 0, offset: 0 }]);
        await broker.deleteGroup(group);
        expect(await broker.listGroups()).not.toContain(group);
        expect(await broker.committedOffsets(group, name)).toEqual([{ partition: 0, offset: null }]);
      });

      test('deleting a topic drops the groups offsets for it', async () => {
        const name = await topicWith(1);
        const group = unique('g');
        await broker.commitOffsets(group, [{ topic: name, partition: 0, offset: 0 }]);
        await broker.deleteTopic(name);
        await broker.createTopic({ name, partitions: 1 });
        expect(await broker.committedOffsets(group, name)).toEqual([{ partition: 0, offset: null }]);
      });
    });

    describe('subscribe', () => {
      const open: Consumer[] = [];
      afterEach(async () => {
        await Promise.all(open.splice(0).map((c) => c.close()));
      });
      const join = async (...args: Parameters<Broker['subscribe']>): Promise<Consumer> => {
        const c = await broker.subscribe(...args);
        open.push(c);
        return c;
      };

      test('fromBeginning reads what is there; latest only what comes after', async () => {
        const name = await topicWith(1);
        await broker.produce(name, [rec('k', 'before')]);
        const early = await join({ groupId: unique('g'), topics: [name], fromBeginning: true });
        const late = await join({ groupId: unique('g'), topics: [name], fromBeginning: false });
        await broker.produce(name, [rec('k', 'after')]);
        expect(values(await pollN(early, 2))).toEqual(['before', 'after']);
        expect(values(await pollN(late, 1))).toEqual(['after']);
        expect(await late.poll(10, 20)).toEqual([]);
      });

      test('a lone member owns every partition, onAssign tells it so', async () => {
        const name = await topicWith(3);
        const assigned: TopicPartition[][] = [];
        const c = await join({ groupId: unique('g'), topics: [name], fromBeginning: true, onAssign: (tps) => void assigned.push(tps) });
        const all = [0, 1, 2].map((partition) => ({ topic: name, partition }));
        expect(c.assignment()).toEqual(all);
        expect(assigned).toEqual([all]);
      });

      test('commit() stores positions; the next member of the group resumes there', async () => {
        const name = await topicWith(2);
        const groupId = unique('g');
        await broker.produce(name, [rec('a', '1', 1, 0), rec('b', '2', 2, 1), rec('c', '3', 3, 0)]);
        const first = await join({ groupId, topics: [name], fromBeginning: true });
        expect(values(await pollN(first, 2))).toEqual(['1', '2']);
        expect(first.positions()).toEqual([
          { topic: name, partition: 0, offset: 1 },
          { topic: name, partition: 1, offset: 1 },
        ]);
        await first.commit();
        await first.close();
        expect(await broker.committedOffsets(groupId, name)).toEqual([
          { partition: 0, offset: 1 },
          { partition: 1, offset: 1 },
        ]);
        await broker.produce(name, [rec('d', '4', 4, 1)]);
        const second = await join({ groupId, topics: [name], fromBeginning: true });
        expect(values(await pollN(second, 2))).toEqual(['3', '4']);
      });

      test('committed offsets win over fromBeginning', async () => {
        const name = await topicWith(1);
        const groupId = unique('g');
        await broker.produce(name, [rec('a', '0'), rec('a', '1'), rec('a', '2')]);
        await broker.commitOffsets(groupId, [{ topic: name, partition: 0, offset: 2 }]);
        const c = await join({ groupId, topics: [name], fromBeginning: true });
        expect(values(await pollN(c, 1))).toEqual(['2']);
      });

      test('poll merges partitions by timestamp, each partition in offset order', async () => {
        const name = await topicWith(3);
        await broker.produce(name, [
          rec('x', 'p0@10', 10, 0),
          rec('x', 'p0@40', 40, 0),
          rec('x', 'p0@41', 41, 0),
          rec('x', 'p1@20', 20, 1),
          rec('x', 'p1@50', 50, 1),
          rec('x', 'p2@5', 5, 2),
          rec('x', 'p2@30', 30, 2),
          rec('x', 'p2@1', 1, 2), // out of order inside its partition: stays after p2@30
        ]);
        const c = await join({ groupId: unique('g'), topics: [name], fromBeginning: true });
        expect(values(await pollN(c, 8))).toEqual(['p2@5', 'p0@10', 'p1@20', 'p2@30', 'p2@1', 'p0@40', 'p0@41', 'p1@50']);
      });

      test('poll respects maxRecords and continues where it stopped', async () => {
        const name = await topicWith(1);
        await broker.produce(name, Array.from({ length: 5 }, (_, i) => rec('k', `${i}`)));
        const c = await join({ groupId: unique('g'), topics: [name], fromBeginning: true });
        expect(values(await c.poll(2, 1000))).toEqual(['0', '1']);
        expect(values(await c.poll(10, 1000))).toEqual(['2', '3', '4']);
      });

      test('a waiting poll wakes when data lands', async () => {
        const name = await topicWith(1);
        const c = await join({ groupId: unique('g'), topics: [name], fromBeginning: true });
        const started = Date.now();
        const pending = c.poll(10, 10_000);
        setTimeout(() => void broker.produce(name, [rec('k', 'hello')]), 30);
        expect(values(await pending)).toEqual(['hello']);
        expect(Date.now() - started).toBeLessThan(5000);
      });

      test('waitForData: true when data lands, false on timeout', async () => {
        const name = await topicWith(1);
        const c = await join({ groupId: unique('g'), topics: [name], fromBeginning: true });
        expect(await c.waitForData(30)).toBe(false);
        const pending = c.waitForData(10_000);
        setTimeout(() => void broker.produce(name, [rec('k', 'v')]), 30);
        expect(await pending).toBe(true);
        expect(values(await c.poll(10, 0))).toEqual(['v']);
      });

      test('close ends a waiting poll with []; the closed consumer refuses work', async () => {
        const name = await topicWith(1);
        const c = await broker.subscribe({ groupId: unique('g'), topics: [name], fromBeginning: true });
        const pending = c.poll(10, 10_000);
        await new Promise((r) => setTimeout(r, 20));
        await c.close();
        expect(await pending).toEqual([]);
        await expect(c.poll(1, 0)).rejects.toThrow(/closed/);
      });

      test('overlapping polls are refused', async () => {
        const name = await topicWith(1);
        const c = await join({ groupId: unique('g'), topics: [name], fromBeginning: true });
        const first = c.poll(1, 100);
        await expect(c.poll(1, 0)).rejects.toBeInstanceOf(ConcurrentUseError);
        await first;
      });

      test('seek moves the position of an owned partition', async () => {
        const name = await topicWith(1);
        await broker.produce(name, Array.from({ length: 4 }, (_, i) => rec('k', `${i}`)));
        const c = await join({ groupId: unique('g'), topics: [name], fromBeginning: true });
        c.seek(name, 0, 2);
        expect(values(await pollN(c, 2))).toEqual(['2', '3']);
        expect(() => c.seek(name, 5, 0)).toThrow(NotAssignedError);
      });

      test('commit of a partition not owned is refused', async () => {
        const name = await topicWith(1);
        const other = await topicWith(1);
        const c = await join({ groupId: unique('g'), topics: [name], fromBeginning: true });
        await expect(c.commit([{ topic: other, partition: 0, offset: 0 }])).rejects.toBeInstanceOf(NotAssignedError);
      });

      test('committing from outside a group with members is refused', async () => {
        const name = await topicWith(1);
        const groupId = unique('g');
        await join({ groupId, topics: [name], fromBeginning: true });
        await expect(broker.commitOffsets(groupId, [{ topic: name, partition: 0, offset: 0 }])).rejects.toBeInstanceOf(
          GroupNotEmptyError,
        );
        await expect(broker.deleteGroup(groupId)).rejects.toBeInstanceOf(GroupNotEmptyError);
      });

      test('describeGroup shows members and what they own', async () => {
        const name = await topicWith(2);
        const groupId = unique('g');
        const c = await join({ groupId, topics: [name], fromBeginning: true, clientId: 'ksqlite' });
        await c.poll(1, 0);
        const d = await broker.describeGroup(groupId);
        expect(d?.state).toBe('Stable');
        expect(d?.members).toEqual([{ memberId: c.memberId, clientId: 'ksqlite', assignment: c.assignment() }]);
        expect(d?.offsets.map((o) => [o.partition, o.committed, o.lag])).toEqual([
          [0, null, null],
          [1, null, null],
        ]);
      });

      test('two members split co-partitioned topics by partition, and hand over on close', async () => {
        const left = await topicWith(2);
        const right = await topicWith(2);
        const groupId = unique('g');
        const events: string[] = [];
        const log = (who: string, what: string) => (tps: TopicPartition[]) =>
          void events.push(`${who} ${what} ${tps.map((tp) => `${tp.topic === left ? 'L' : 'R'}${tp.partition}`).join(',')}`);
        const a = await join({ groupId, topics: [left, right], fromBeginning: true, onAssign: log('a', '+'), onRevoke: log('a', '-') });
        const b = await join({ groupId, topics: [left, right], fromBeginning: true, onAssign: log('b', '+'), onRevoke: log('b', '-') });
        // Both poll until the group settles.
        for (let i = 0; i < rounds && (a.assignment().length !== 2 || b.assignment().length !== 2); i++) {
          await Promise.all([a.poll(1, 10), b.poll(1, 10)]);
        }
        expect(a.assignment()).toEqual([
          { topic: left, partition: 0 },
          { topic: right, partition: 0 },
        ]);
        expect(b.assignment()).toEqual([
          { topic: left, partition: 1 },
          { topic: right, partition: 1 },
        ]);
        await a.close();
        for (let i = 0; i < rounds && b.assignment().length !== 4; i++) await b.poll(1, 10);
        expect(b.assignment()).toHaveLength(4);
        expect(events).toEqual(['a + L0,L1,R0,R1', 'a - L1,R1', 'b + L1,R1', 'a - L0,R0', 'b + L0,R0']);
      });

      test('what the old owner commits in onRevoke is where the new owner starts', async () => {
        const name = await topicWith(2);
        const groupId = unique('g');
        await broker.produce(name, [rec('a', 'p0-0', 1, 0), rec('a', 'p0-1', 2, 0), rec('b', 'p1-0', 1, 1), rec('b', 'p1-1', 2, 1)]);
        let a: Consumer | undefined;
        a = await join({
          groupId,
          topics: [name],
          fromBeginning: true,
          onRevoke: async (tps) => {
            await a!.commit(a!.positions().filter((p) => tps.some((tp) => tp.partition === p.partition)));
          },
        });
        expect(values(await a.poll(2, 1000))).toEqual(['p0-0', 'p1-0']);
        const b = await join({ groupId, topics: [name], fromBeginning: true });
        const seenByB: ConsumedRecord[] = [];
        for (let i = 0; i < rounds && seenByB.length < 1; i++) {
          await a.poll(1, 0).then((rs) => expect(rs.every((r) => r.partition === 0)).toBe(true));
          seenByB.push(...(await b.poll(10, 10)));
        }
        expect(values(seenByB)).toEqual(['p1-1']);
      });

      test('a topic created after subscribe is picked up', async () => {
        const name = unique('later');
        const c = await join({ groupId: unique('g'), topics: [name], fromBeginning: true });
        expect(c.assignment()).toEqual([]);
        await broker.createTopic({ name, partitions: 1 });
        await broker.produce(name, [rec('k', 'v')]);
        expect(values(await pollN(c, 1))).toEqual(['v']);
      });
    });

    describe('transactions', () => {
      if (!options.transactions) {
        test('not offered', () => expect(broker.transaction).toBeUndefined());
        return;
      }
      const txnOf = (b: Broker) => (id: string) => b.transaction!(id);

      test('commit makes records and offsets visible together', async () => {
        const input = await topicWith(1);
        const output = await topicWith(2);
        const groupId = unique('g');
        const txn = await txnOf(broker)(unique('tx'));
        await txn.produce(output, [rec('a', 'x'), rec('b', 'y')]);
        await txn.sendOffsets(groupId, [{ topic: input, partition: 0, offset: 42 }]);
        expect(await broker.fetch(output, 0, 0, 10)).toEqual([]);
        expect(await broker.fetch(output, 1, 0, 10)).toEqual([]);
        expect(await broker.committedOffsets(groupId, input)).toEqual([{ partition: 0, offset: null }]);
        await txn.commit();
        const all = [...(await broker.fetch(output, 0, 0, 10)), ...(await broker.fetch(output, 1, 0, 10))];
        expect(values(all).sort()).toEqual(['x', 'y']);
        expect(await broker.committedOffsets(groupId, input)).toEqual([{ partition: 0, offset: 42 }]);
      });

      test('abort leaves no trace', async () => {
        const output = await topicWith(1);
        const groupId = unique('g');
        const txn = await txnOf(broker)(unique('tx'));
        await txn.produce(output, [rec('a', 'x')]);
        await txn.sendOffsets(groupId, [{ topic: output, partition: 0, offset: 1 }]);
        await txn.abort();
        await broker.produce(output, [rec('a', 'after')]);
        expect(values(await broker.fetch(output, 0, 0, 10))).toEqual(['after']);
        expect(await broker.committedOffsets(groupId, output)).toEqual([{ partition: 0, offset: null }]);
      });

      test('a transaction is over after commit', async () => {
        const output = await topicWith(1);
        const txn = await txnOf(broker)(unique('tx'));
        await txn.commit();
        await expect(txn.produce(output, [rec('a', 'x')])).rejects.toBeInstanceOf(InvalidTxnStateError);
        await expect(txn.abort()).rejects.toBeInstanceOf(InvalidTxnStateError);
      });

      test('a newer transaction with the same id fences the older one', async () => {
        const output = await topicWith(1);
        const id = unique('tx');
        const zombie = await txnOf(broker)(id);
        await zombie.produce(output, [rec('a', 'zombie')]);
        const fresh = await txnOf(broker)(id);
        await fresh.produce(output, [rec('a', 'fresh')]);
        const error = await zombie.commit().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ProducerFencedError);
        expect((error as ProducerFencedError).retriable).toBe(false);
        await fresh.commit();
        expect(values(await broker.fetch(output, 0, 0, 10))).toEqual(['fresh']);
      });

      test('records of a transaction reach a subscribed consumer only after commit', async () => {
        const output = await topicWith(1);
        const c = await broker.subscribe({ groupId: unique('g'), topics: [output], fromBeginning: true });
        try {
          const txn = await txnOf(broker)(unique('tx'));
          await txn.produce(output, [rec('a', 'x')]);
          expect(await c.poll(10, 30)).toEqual([]);
          await txn.commit();
          expect(values(await pollN(c, 1))).toEqual(['x']);
        } finally {
          await c.close();
        }
      });
    });

    describe('close', () => {
      test('a closed broker refuses work', async () => {
        const name = await topicWith(1);
        await broker.close();
        await expect(broker.produce(name, [rec('k', 'v')])).rejects.toThrow(/closed/);
        await expect(broker.listTopics()).rejects.toThrow(/closed/);
        await broker.close(); // idempotent
      });

      test('closing the broker closes its consumers, running onRevoke', async () => {
        const name = await topicWith(1);
        const revoked: TopicPartition[][] = [];
        const c = await broker.subscribe({ groupId: unique('g'), topics: [name], fromBeginning: true, onRevoke: (tps) => void revoked.push(tps) });
        const pending = c.poll(10, 10_000);
        await broker.close();
        expect(await pending).toEqual([]);
        expect(revoked).toEqual([[{ topic: name, partition: 0 }]]);
      });
    });
  });
}
