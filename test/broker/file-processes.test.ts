/**
 * The file broker shared by several brokers and processes on one data
 * directory: two instances in this process stand for two processes where
 * only the files are shared; child processes (killed with SIGKILL) test
 * crashes, dead group members and lock contention for real.
 */

import { jest } from '@jest/globals';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BrokerError, UnknownTopicError, type ConsumedRecord, type Consumer, type FileBroker, type TopicPartition } from '../../src/broker/index.js';
import { openFileBroker, removeTempDirs, spawnChild, tempDir, type Child } from './file-helpers.js';
import { rec, text, values } from './port-conformance.js';

jest.setTimeout(60_000);
afterAll(removeTempDirs);

const children: Child[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.process.exitCode === null) c.process.kill('SIGKILL');
});
const child = (script: string, args: readonly string[]): Child => {
  const c = spawnChild(script, args);
  children.push(c);
  return c;
};
const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A child that produces batches of 100 to t-0 forever, printing each acknowledged last offset. */
const PRODUCER = `
const { createFileBroker } = await import(BUILD + '/broker/index.js');
const [dataDir, fsync, tag, batches] = process.argv.slice(2);
const broker = await createFileBroker({ dataDir, fsync });
await broker.createTopic({ name: 't', partitions: 1, ifNotExists: true });
const enc = new TextEncoder();
let n = 0;
for (let b = 0; batches === undefined || b < Number(batches); b++) {
  const batch = [];
  for (let i = 0; i < 100; i++) batch.push({ key: enc.encode(tag), value: enc.encode(tag + ':' + n++), timestamp: Date.now(), partition: 0 });
  const meta = await broker.produce('t', batch);
  console.log('acked ' + meta[meta.length - 1].offset + ' ' + n);
  if (b % 10 === 0) await new Promise((r) => setImmediate(r));
}
await broker.close();
console.log('done');
`;

describe('two brokers on one data directory', () => {
  let dir: string;
  let a: FileBroker;
  let b: FileBroker;
  beforeEach(async () => {
    dir = tempDir();
    a = await openFileBroker(dir);
    b = await openFileBroker(dir);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  test("each sees the other's topics and appends; offsets never collide", async () => {
    await a.createTopic({ name: 't', partitions: 1, config: { 'cleanup.policy': 'compact' } });
    expect(await b.describeTopic('t')).toEqual({ name: 't', partitions: 1, replicas: 1, config: { 'cleanup.policy': 'compact' } });
    expect(await b.listTopics()).toEqual(['t']);
    await a.produce('t', [rec('k', 'a1', 1, 0)]);
    expect(values(await b.fetch('t', 0, 0, 10))).toEqual(['a1']);
    expect(await b.produce('t', [rec('k', 'b1', 1, 0)])).toEqual([{ partition: 0, offset: 1 }]);
    expect(await a.produce('t', [rec('k', 'a2', 1, 0), rec('k', 'a3', 1, 0)])).toEqual([
      { partition: 0, offset: 2 },
      { partition: 0, offset: 3 },
    ]);
    expect(values(await a.fetch('t', 0, 0, 10))).toEqual(['a1', 'b1', 'a2', 'a3']);
    expect(values(await b.fetch('t', 0, 0, 10))).toEqual(['a1', 'b1', 'a2', 'a3']);
    expect(await b.endOffsets('t')).toEqual([{ partition: 0, offset: 4 }]);
  });

  test('a deleted topic is gone for the other; a new one of the same name starts afresh', async () => {
    await a.createTopic({ name: 't', partitions: 1 });
    await b.produce('t', [rec('k', 'old', 1, 0)]);
    await a.deleteTopic('t');
    await expect(b.produce('t', [rec('k', 'lost', 1, 0)])).rejects.toBeInstanceOf(UnknownTopicError);
    await a.createTopic({ name: 't', partitions: 1 });
    expect(await b.produce('t', [rec('k', 'new', 1, 0)])).toEqual([{ partition: 0, offset: 0 }]);
    expect(values(await a.fetch('t', 0, 0, 10))).toEqual(['new']);
  });

  test('a reader far behind follows the log even after retention deleted the segments it would pass', async () => {
    await a.createTopic({ name: 't', partitions: 1, config: { 'segment.bytes': '1024', 'retention.bytes': '2048' } });
    await a.produce('t', [rec('k', 'first', 1, 0)]);
    expect(values(await b.fetch('t', 0, 0, 10))).toEqual(['first']);
    for (let i = 0; i < 200; i++) await a.produce('t', [rec('k', `v${i}`, 1, 0)]);
    expect(await b.endOffsets('t')).toEqual([{ partition: 0, offset: 201 }]);
    const [{ offset: beginning }] = await b.beginningOffsets('t');
    expect(beginning).toBeGreaterThan(100);
    await expect(b.fetch('t', 0, 1, 10)).rejects.toMatchObject({ name: 'OffsetOutOfRangeError' });
    expect(values(await b.fetch('t', 0, 200, 10))).toEqual(['v199']);
    expect(await b.produce('t', [rec('k', 'from-b', 1, 0)])).toEqual([{ partition: 0, offset: 201 }]);
  });

  test('a waiting fetch and a waiting poll wake within 100 ms of the other broker appending', async () => {
    await a.createTopic({ name: 't', partitions: 1 });
    const c = await b.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true });
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const fetching = b.fetch('t', 0, 2 * i, 10, 10_000);
      const polling = c.poll(10, 10_000);
      await new Promise((r) => setTimeout(r, 30));
      const sent = Date.now();
      await a.produce('t', [rec('k', `v${i}`, 1, 0)]);
      const [fetched, polled] = await Promise.all([fetching.then((r) => [r, Date.now()] as const), polling.then((r) => [r, Date.now()] as const)]);
      expect(values(fetched[0])).toContain(`v${i}`);
      expect(values(polled[0])).toEqual([`v${i}`]);
      latencies.push(fetched[1] - sent, polled[1] - sent);
      await a.produce('t', [rec('k', 'filler', 1, 0)]);
      await c.poll(10, 1000);
    }
    expect(Math.max(...latencies)).toBeLessThan(100);
    await c.close();
  });

  test('without fs.watch, readers poll the files every pollIntervalMs', async () => {
    await b.close();
    b = await openFileBroker(dir, { watch: false, pollIntervalMs: 20 });
    await a.createTopic({ name: 't', partitions: 1 });
    const fetching = b.fetch('t', 0, 0, 10, 10_000);
    await new Promise((r) => setTimeout(r, 50));
    const sent = Date.now();
    await a.produce('t', [rec('k', 'v', 1, 0)]);
    expect(values(await fetching)).toEqual(['v']);
    expect(Date.now() - sent).toBeLessThan(200);
  });

  test('members in both share a group: split by the range assignor, hand over on close', async () => {
    await a.createTopic({ name: 't', partitions: 2 });
    await a.produce('t', [rec('x', 'p0-0', 1, 0), rec('x', 'p0-1', 2, 0), rec('y', 'p1-0', 1, 1), rec('y', 'p1-1', 2, 1)]);
    const events: string[] = [];
    const log = (who: string, what: string) => (tps: TopicPartition[]) =>
      void events.push(`${who} ${what} ${tps.map((tp) => tp.partition).join(',')}`);
    let ca: Consumer | undefined;
    ca = await a.subscribe({
      groupId: 'g',
      topics: ['t'],
      fromBeginning: true,
      onAssign: log('a', '+'),
      onRevoke: async (tps) => {
        log('a', '-')(tps);
        await ca!.commit(ca!.positions().filter((p) => tps.some((tp) => tp.partition === p.partition)));
      },
    });
    expect(values(await ca.poll(2, 1000))).toEqual(['p0-0', 'p1-0']);
    const cb = await b.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true, onAssign: log('b', '+'), onRevoke: log('b', '-') });
    const seenByB: ConsumedRecord[] = [];
    await until(async () => {
      await ca!.poll(1, 0).then((rs) => expect(rs.every((r) => r.partition === 0)).toBe(true));
      seenByB.push(...(await cb.poll(10, 10)));
      return ca!.assignment().length === 1 && cb.assignment().length === 1;
    });
    expect(ca.assignment()).toEqual([{ topic: 't', partition: 0 }]);
    expect(cb.assignment()).toEqual([{ topic: 't', partition: 1 }]);
    // b starts partition 1 where a committed in onRevoke.
    await until(async () => (seenByB.push(...(await cb.poll(10, 10))), seenByB.length >= 1));
    expect(values(seenByB)).toEqual(['p1-1']);
    const description = await a.describeGroup('g');
    expect(description?.state).toBe('Stable');
    expect(description?.members.map((m) => [m.memberId, m.assignment.map((tp) => tp.partition)])).toEqual([
      [ca.memberId, [0]],
      [cb.memberId, [1]],
    ]);
    await ca.close();
    await until(async () => (await cb.poll(10, 10), cb.assignment().length === 2));
    expect(events).toEqual(['a + 0,1', 'a - 1', 'b + 1', 'a - 0', 'b + 0']);
    await cb.close();
    expect((await b.describeGroup('g'))?.state).toBe('Empty');
  });

  test('a member silent past the session timeout is dropped; when it wakes it joins again', async () => {
    await Promise.all([a.close(), b.close()]);
    // a's heartbeat is far slower than the session timeout: a looks hung to b.
    a = await openFileBroker(dir, { heartbeatIntervalMs: 60_000, sessionTimeoutMs: 150 });
    b = await openFileBroker(dir, { heartbeatIntervalMs: 20, sessionTimeoutMs: 150 });
    await a.createTopic({ name: 't', partitions: 2 });
    const revokedFromA: number[] = [];
    const ca = await a.subscribe({
      groupId: 'g',
      topics: ['t'],
      fromBeginning: true,
      onRevoke: (tps) => void revokedFromA.push(...tps.map((tp) => tp.partition)),
    });
    expect(ca.assignment()).toHaveLength(2);
    const cb = await b.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true });
    await until(async () => (await cb.poll(10, 20), cb.assignment().length === 2));
    expect((await b.describeGroup('g'))?.members.map((m) => m.memberId)).toEqual([cb.memberId]);
    // a polls again: it lost its claims (onRevoke), joins anew and gets its share back.
    await until(async () => (await Promise.all([ca.poll(10, 10), cb.poll(10, 10)]), ca.assignment().length === 1 && cb.assignment().length === 1));
    expect(revokedFromA).toEqual([0, 1]);
    expect(cb.assignment()).toEqual([{ topic: 't', partition: 0 }]);
    expect(ca.assignment()).toEqual([{ topic: 't', partition: 1 }]);
    await Promise.all([ca.close(), cb.close()]);
  });

  test('committed offsets and transactions of one are the state of the other', async () => {
    await a.createTopic({ name: 'in', partitions: 1 });
    await a.createTopic({ name: 'out', partitions: 1 });
    await a.commitOffsets('g', [{ topic: 'in', partition: 0, offset: 3 }]);
    expect(await b.committedOffsets('g', 'in')).toEqual([{ partition: 0, offset: 3 }]);
    const txn = await b.transaction('tx');
    await txn.produce('out', [rec('k', 'v', 1, 0)]);
    await txn.sendOffsets('g', [{ topic: 'in', partition: 0, offset: 4 }]);
    // A newer transaction of the same id in the other broker fences this one.
    const fresh = await a.transaction('tx');
    await expect(txn.commit()).rejects.toMatchObject({ name: 'ProducerFencedError' });
    await fresh.produce('out', [rec('k', 'fresh', 1, 0)]);
    await fresh.sendOffsets('g', [{ topic: 'in', partition: 0, offset: 5 }]);
    await fresh.commit();
    expect(values(await b.fetch('out', 0, 0, 10))).toEqual(['fresh']);
    expect(await b.committedOffsets('g', 'in')).toEqual([{ partition: 0, offset: 5 }]);
  });
});

describe('child processes', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });

  test.each(['always', 'interval'])('SIGKILL mid-produce loses no acknowledged record (fsync %s)', async (fsync) => {
    const producer = child(PRODUCER, [dir, fsync, 'p']);
    await producer.waitFor(/^acked (\d{4,})/);
    producer.process.kill('SIGKILL');
    await producer.exited;
    const acked = Math.max(...producer.lines.filter((l) => l.startsWith('acked ')).map((l) => Number(l.split(' ')[1])));
    const broker = await openFileBroker(dir);
    try {
      const [{ offset: end }] = await broker.endOffsets('t');
      expect(end).toBeGreaterThan(acked);
      for (let from = 0; from <= acked; ) {
        const page = await broker.fetch('t', 0, from, 5000);
        page.forEach((r, i) => {
          expect(r.offset).toBe(from + i);
          expect(text(r.value)).toBe(`p:${from + i}`);
        });
        from += page.length;
      }
      expect(await broker.produce('t', [rec('k', 'after', 1, 0)])).toEqual([{ partition: 0, offset: end }]);
    } finally {
      await broker.close();
    }
  });

  test('two processes appending to one partition take turns: every record once, in each one order', async () => {
    const broker = await openFileBroker(dir);
    await broker.createTopic({ name: 't', partitions: 1 });
    const one = child(PRODUCER, [dir, 'always', 'one', '60']);
    const two = child(PRODUCER, [dir, 'always', 'two', '60']);
    await Promise.all([one.waitFor(/^done$/, 30_000), two.waitFor(/^done$/, 30_000)]);
    const all: ConsumedRecord[] = [];
    for (let from = 0; ; ) {
      const page = await broker.fetch('t', 0, from, 5000);
      if (page.length === 0) break;
      all.push(...page);
      from += page.length;
    }
    expect(all.map((r) => r.offset)).toEqual(Array.from({ length: 12_000 }, (_, i) => i));
    for (const tag of ['one', 'two']) {
      expect(values(all.filter((r) => text(r.key) === tag))).toEqual(Array.from({ length: 6000 }, (_, i) => `${tag}:${i}`));
    }
    await broker.close();
  });

  describe('partition locks', () => {
    const lockOf = (): string => join(dir, 'topics', 't', '0.lock');

    test('a lock held by a live process makes appends wait (and time out, retriably)', async () => {
      const broker = await openFileBroker(dir, { lockTimeoutMs: 200 });
      await broker.createTopic({ name: 't', partitions: 1 });
      const sleeper = child('setInterval(() => {}, 1000); console.log("up");', []);
      await sleeper.waitFor(/up/);
      writeFileSync(lockOf(), `${sleeper.process.pid}\n${hostname()}\nsome-token\n`);
      const error = await broker.produce('t', [rec('k', 'v', 1, 0)]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerError);
      expect(error).toMatchObject({ retriable: true });
      expect((error as Error).message).toMatch(new RegExp(`waiting for the lock .*0\\.lock \\(held by pid ${sleeper.process.pid} on`));
      const waiting = broker.produce('t', [rec('k', 'v', 1, 0)]);
      await new Promise((r) => setTimeout(r, 50));
      let done = false;
      void waiting.then(() => (done = true));
      await new Promise((r) => setTimeout(r, 50));
      expect(done).toBe(false);
      writeFileSync(lockOf(), ''); // keep it a moment longer, unreadable but young
      await new Promise((r) => setTimeout(r, 20));
      expect(done).toBe(false);
      sleeper.process.kill('SIGKILL');
      await sleeper.exited;
      writeFileSync(lockOf(), `${sleeper.process.pid}\n${hostname()}\nsome-token\n`);
      expect(await waiting).toEqual([{ partition: 0, offset: 0 }]);
      expect(existsSync(lockOf())).toBe(false);
      await broker.close();
    });

    test('a lock left by a dead process is broken at once', async () => {
      const broker = await openFileBroker(dir);
      await broker.createTopic({ name: 't', partitions: 1 });
      const gone = child('console.log("bye")', []);
      await gone.exited;
      writeFileSync(lockOf(), `${gone.process.pid}\n${hostname()}\nsome-token\n`);
      const started = Date.now();
      expect(await broker.produce('t', [rec('k', 'v', 1, 0)])).toEqual([{ partition: 0, offset: 0 }]);
      expect(Date.now() - started).toBeLessThan(500);
      expect(existsSync(lockOf())).toBe(false);
      await broker.close();
    });
  });

  test("a member whose process died is dropped and its partitions move, from its committed offsets", async () => {
    const broker = await openFileBroker(dir, { heartbeatIntervalMs: 30 });
    await broker.createTopic({ name: 't', partitions: 2 });
    await broker.produce('t', [rec('x', 'p0-0', 1, 0), rec('y', 'p1-0', 1, 1)]);
    const member = child(
      `
const { createFileBroker } = await import(BUILD + '/broker/index.js');
const broker = await createFileBroker({ dataDir: process.argv[2], heartbeatIntervalMs: 30 });
const c = await broker.subscribe({ groupId: 'g', topics: ['t'], fromBeginning: true,
  onAssign: (tps) => console.log('assigned ' + tps.map((tp) => tp.partition).join(',')),
  onRevoke: async (tps) => { await c.commit(c.positions().filter((p) => tps.some((tp) => tp.partition === p.partition))); console.log('revoked ' + tps.map((tp) => tp.partition).join(',')); } });
for (;;) {
  const records = await c.poll(100, 20);
  if (records.length > 0) { await c.commit(); console.log('consumed ' + records.map((r) => r.partition + ':' + r.offset).join(',')); }
}`,
      [dir],
    );
    await member.waitFor(/^consumed 0:0,1:0$/);
    const assigned: number[][] = [];
    const mine = await broker.subscribe({
      groupId: 'g',
      topics: ['t'],
      fromBeginning: true,
      onAssign: (tps) => void assigned.push(tps.map((tp) => tp.partition)),
    });
    const seen: ConsumedRecord[] = [];
    await until(async () => (seen.push(...(await mine.poll(10, 20))), mine.assignment().length === 1));
    expect(mine.assignment()).toEqual([{ topic: 't', partition: 1 }]);
    await member.waitFor(/^revoked 1$/);
    member.process.kill('SIGKILL');
    await member.exited;
    const killed = Date.now();
    await broker.produce('t', [rec('x', 'p0-1', 2, 0)]);
    await until(async () => (seen.push(...(await mine.poll(10, 20))), mine.assignment().length === 2));
    expect(Date.now() - killed).toBeLessThan(2000);
    expect(assigned).toEqual([[1], [0]]);
    await until(async () => (seen.push(...(await mine.poll(10, 20))), seen.some((r) => text(r.value) === 'p0-1')));
    // p0-0 and p1-0 were consumed and committed by the dead member.
    expect(values(seen)).toEqual(['p0-1']);
    const group = await broker.describeGroup('g');
    expect(group?.members.map((m) => m.memberId)).toEqual([mine.memberId]);
    await mine.close();
    await broker.close();
  });

  /** A child that commits a transaction to out-0 and out-1 (+ offsets) and dies after writing out-0. */
  const dieMidCommit = async (): Promise<void> => {
    const committer = child(
      `
const { createFileBroker } = await import(BUILD + '/broker/index.js');
const { io } = await import(BUILD + '/broker/local/file/io.js');
const broker = await createFileBroker({ dataDir: process.argv[2] });
const enc = new TextEncoder();
const txn = await broker.transaction('tx');
await txn.produce('out', [0, 1].flatMap((p) => [1, 2].map((i) => ({ key: enc.encode('k'), value: enc.encode('p' + p + '-' + i), timestamp: 1, partition: p }))));
await txn.sendOffsets('g', [{ topic: 'in', partition: 0, offset: 7 }]);
// Die after the commit point, once the first partition is written.
let armed = false, writes = 0;
const rename = io.rename, write = io.write;
io.rename = (from, to) => { rename(from, to); if (to.includes('pending')) armed = true; };
io.write = (...args) => { if (armed && ++writes === 2) { console.log('dying'); process.kill(process.pid, 'SIGKILL'); } return write(...args); };
await txn.commit();
console.log('committed?!');`,
      [dir],
    );
    await committer.waitFor(/^dying$/);
    await committer.exited;
    expect(readdirSync(join(dir, 'transactions', 'pending'))).toHaveLength(1);
  };

  test('a transaction whose process died mid-apply is finished by the next writer', async () => {
    const broker = await openFileBroker(dir);
    await broker.createTopic({ name: 'out', partitions: 2 });
    await broker.createTopic({ name: 'in', partitions: 1 });
    await dieMidCommit();
    // Half applied: partition 0 has the records, partition 1 not yet, and its lock names the transaction.
    expect(values(await broker.fetch('out', 0, 0, 10))).toEqual(['p0-1', 'p0-2']);
    expect(await broker.fetch('out', 1, 0, 10)).toEqual([]);
    expect(await broker.produce('out', [rec('k', 'later', 1, 1)])).toEqual([{ partition: 1, offset: 2 }]);
    expect(values(await broker.fetch('out', 1, 0, 10))).toEqual(['p1-1', 'p1-2', 'later']);
    expect(values(await broker.fetch('out', 0, 0, 10))).toEqual(['p0-1', 'p0-2']);
    expect(await broker.committedOffsets('g', 'in')).toEqual([{ partition: 0, offset: 7 }]);
    expect(readdirSync(join(dir, 'transactions', 'pending'))).toEqual([]);
    await broker.close();
    const reopened = await openFileBroker(dir);
    expect(values(await reopened.fetch('out', 1, 0, 10))).toEqual(['p1-1', 'p1-2', 'later']);
    await reopened.close();
  });

  test('a transaction whose process died mid-apply is finished by the next broker to open', async () => {
    const setup = await openFileBroker(dir);
    await setup.createTopic({ name: 'out', partitions: 2 });
    await setup.createTopic({ name: 'in', partitions: 1 });
    await setup.close();
    await dieMidCommit();
    const broker = await openFileBroker(dir);
    expect(readdirSync(join(dir, 'transactions', 'pending'))).toEqual([]);
    expect(values(await broker.fetch('out', 0, 0, 10))).toEqual(['p0-1', 'p0-2']);
    expect(values(await broker.fetch('out', 1, 0, 10))).toEqual(['p1-1', 'p1-2']);
    expect(await broker.committedOffsets('g', 'in')).toEqual([{ partition: 0, offset: 7 }]);
    await broker.close();
  });
});
