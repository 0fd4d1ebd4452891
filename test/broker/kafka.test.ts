/**
 * The Kafka adapter against a real broker: the shared port conformance
 * suite plus what only Kafka has (an address nobody answers at, a group
 * rebalancing between members with connections of their own). Runs when
 * KSQLITE_BOOTSTRAP_SERVER names a broker, e.g. after
 *   eval "$(scripts/kafka/start.sh | tail -2 | sed 's/^/export /')"
 * and is skipped otherwise. Topic and group names are unique per test and
 * run: the broker keeps what earlier runs left.
 *
 * The pieces that need no broker (wire format, assignment) are tested here too.
 */

import { jest } from '@jest/globals';
import kafkajs from 'kafkajs';
import {
  BrokerError,
  partitionForKey,
  type Broker,
  type ConsumedRecord,
  type Consumer,
  type TopicPartition,
} from '../../src/broker/index.js';
import { createKafkaBroker, type KafkaBrokerOptions } from '../../src/broker/kafka/index.js';
import { cooperativeAssignment } from '../../src/broker/kafka/cooperative.js';
import {
  ByteWriter,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  readRecordBatches,
  writeRecordBatch,
} from '../../src/broker/kafka/wire.js';
import { removeTempDirs, spawnChild, type Child } from './file-helpers.js';
import { describeBrokerConformance, pollN, rec, text, unique, utf8, values } from './port-conformance.js';

const bootstrap = process.env.KSQLITE_BOOTSTRAP_SERVER;
const registryUrl = process.env.KSQLITE_SCHEMA_REGISTRY_URL;

/** Fast group timing for tests: rebalances settle in a few hundred ms on a local broker. */
const TEST_TIMING: KafkaBrokerOptions['consumer'] = {
  sessionTimeoutMs: 6000,
  heartbeatIntervalMs: 50,
  rebalanceTimeoutMs: 10_000,
  fetchMaxWaitMs: 100,
  metadataRefreshMs: 500,
};

const connect = (options: Partial<KafkaBrokerOptions> = {}): Promise<Broker> =>
  createKafkaBroker({ brokers: bootstrap!.split(','), consumer: TEST_TIMING, ...options });

const fileStartedAt = Date.now();

/** What `unique()` names look like: `<prefix>-<pid>-<base-36 time>-<n>`. */
const UNIQUE_NAME = /^[A-Za-z]+-(\d+)-([0-9a-z]+)-\d+$/;

/**
 * Deletes the topics and consumer groups this file's run created (a unique() name with this
 * process's pid made since the file started), and those of any run that ended over an hour ago.
 */
async function deleteTestLeftovers(servers: string, pid: number, since: number): Promise<void> {
  const stale = Date.now() - 3_600_000;
  const ours = (name: string): boolean => {
    const m = UNIQUE_NAME.exec(name);
    if (m === null) return false;
    const made = parseInt(m[2]!, 36);
    return (Number(m[1]) === pid && made >= since - 1000) || made < stale;
  };
  const broker = await createKafkaBroker({ brokers: servers.split(',') });
  try {
    for (const group of (await broker.listGroups()).filter(ours)) await broker.deleteGroup(group).catch(() => undefined);
    for (const topic of (await broker.listTopics()).filter(ours)) await broker.deleteTopic(topic).catch(() => undefined);
  } finally {
    await broker.close();
  }
}

describe('record batches (no broker)', () => {
  test('round-trip keeps headers in order, repeated keys and null values', async () => {
    const w = new ByteWriter(64);
    writeRecordBatch(
      w,
      [
        {
          key: utf8('k'),
          value: utf8('v'),
          timestamp: 1_700_000_000_000,
          headers: [
            { key: 'b', value: utf8('1') },
            { key: 'a', value: null },
            { key: 'b', value: utf8('2') },
          ],
        },
        { key: null, value: null, timestamp: 5 },
        {
          key: new Uint8Array(0),
          value: utf8('x'.repeat(300)),
          timestamp: 1_700_000_000_007,
          headers: [{ key: '1', value: new Uint8Array(0) }],
        },
      ],
      { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false },
    );
    const batch = w.result();
    // Kafka assigns the base offset; pretend it is 40.
    batch.writeUInt32BE(40, 4);
    const { records, nextOffset } = await readRecordBatches(batch, 't', 0, 41, null);
    expect(nextOffset).toBe(43);
    expect(records.map((r) => ({ ...r, key: text(r.key), value: text(r.value) }))).toEqual([
      { topic: 't', partition: 0, offset: 41, key: null, value: null, timestamp: 5, headers: [] },
      {
        topic: 't',
        partition: 0,
        offset: 42,
        key: '',
        value: 'x'.repeat(300),
        timestamp: 1_700_000_000_007,
        headers: [{ key: '1', value: new Uint8Array(0) }],
      },
    ]);
    const all = await readRecordBatches(batch, 't', 0, 0, null);
    expect(all.records[0]!.headers).toEqual([
      { key: 'b', value: utf8('1') },
      { key: 'a', value: null },
      { key: 'b', value: utf8('2') },
    ]);
  });

  test('records of aborted transactions and markers are skipped, the position moves past them', async () => {
    const w = new ByteWriter(64);
    writeRecordBatch(w, [rec('k', 'aborted')], { producerId: 7, producerEpoch: 0, baseSequence: 0, transactional: true });
    const first = w.result();
    first.writeUInt32BE(0, 4);
    const w2 = new ByteWriter(64);
    writeRecordBatch(w2, [rec('k', 'kept')], { producerId: 8, producerEpoch: 0, baseSequence: 0, transactional: true });
    const second = Buffer.from(w2.result());
    second.writeUInt32BE(1, 4);
    const data = Buffer.concat([first, second]);
    const { records, nextOffset } = await readRecordBatches(data, 't', 0, 0, [{ producerId: 7, firstOffset: 0 }]);
    expect(values(records)).toEqual(['kept']);
    expect(nextOffset).toBe(2);
  });

  test('consumer protocol: subscription and assignment', () => {
    const s = decodeSubscription(
      encodeSubscription({
        topics: ['a', 'b'],
        owned: [
          { topic: 'b', partition: 1 },
          { topic: 'a', partition: 0 },
        ],
        joinedAt: 123.5,
      }),
    );
    expect(s).toEqual({
      topics: ['a', 'b'],
      owned: [
        { topic: 'a', partition: 0 },
        { topic: 'b', partition: 1 },
      ],
      joinedAt: 123.5,
    });
    expect(
      decodeAssignment(
        encodeAssignment([
          { topic: 'x', partition: 2 },
          { topic: 'x', partition: 0 },
        ]),
      ),
    ).toEqual([
      { topic: 'x', partition: 0 },
      { topic: 'x', partition: 2 },
    ]);
  });
});

describe('cooperative assignment (no broker)', () => {
  const tp = (topic: string, partition: number): TopicPartition => ({ topic, partition });
  const counts = new Map([
    ['L', 2],
    ['R', 2],
  ]);

  test('ranges by arrival; partitions still owned elsewhere wait', () => {
    const plan = cooperativeAssignment(
      [
        { memberId: 'z-late', topics: ['L', 'R'], owned: [], joinedAt: 2 },
        { memberId: 'a-early', topics: ['L', 'R'], owned: [tp('L', 0), tp('L', 1), tp('R', 0), tp('R', 1)], joinedAt: 1 },
      ],
      counts,
    );
    expect(plan.get('a-early')).toEqual([tp('L', 0), tp('R', 0)]);
    expect(plan.get('z-late')).toEqual([]);
  });

  test('once released, a partition goes to its target', () => {
    const plan = cooperativeAssignment(
      [
        { memberId: 'a', topics: ['L', 'R'], owned: [tp('L', 0), tp('R', 0)], joinedAt: 1 },
        { memberId: 'b', topics: ['L', 'R'], owned: [], joinedAt: 2 },
      ],
      counts,
    );
    expect(plan.get('b')).toEqual([tp('L', 1), tp('R', 1)]);
  });

  test('a partition claimed by two members goes to nobody until one lets go', () => {
    const plan = cooperativeAssignment(
      [
        { memberId: 'a', topics: ['L'], owned: [tp('L', 0)], joinedAt: 1 },
        { memberId: 'b', topics: ['L'], owned: [tp('L', 0)], joinedAt: 2 },
      ],
      new Map([['L', 2]]),
    );
    expect(plan.get('a')).toEqual([]);
    expect(plan.get('b')).toEqual([tp('L', 1)]);
  });
});

if (bootstrap === undefined || bootstrap === '') {
  console.log(
    'KSQLITE_BOOTSTRAP_SERVER is not set: the Kafka adapter tests are skipped (scripts/kafka/start.sh starts a broker).',
  );
  test.skip('Kafka adapter against a real broker (set KSQLITE_BOOTSTRAP_SERVER)', () => undefined);
} else {
  jest.setTimeout(30_000);

  describeBrokerConformance(`kafka at ${bootstrap}`, () => connect(), { transactions: true, rebalanceRounds: 500 });

  afterAll(removeTempDirs);
  // The broker is shared and keeps what tests leave: delete this run's topics and groups (and those
  // of runs that died more than an hour ago), so partitions do not pile up run after run.
  afterAll(() => deleteTestLeftovers(bootstrap, process.pid, fileStartedAt), 120_000);

  describe('Kafka adapter', () => {
    test('an address where nobody answers fails fast, naming it', async () => {
      const started = Date.now();
      const error = await createKafkaBroker({ brokers: ['127.0.0.1:9093'], connectionTimeoutMs: 3000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerError);
      expect((error as BrokerError).message).toMatch(/^Cannot connect to Kafka at 127\.0\.0\.1:9093: /);
      expect((error as BrokerError).retriable).toBe(true);
      expect(Date.now() - started).toBeLessThan(4000);
    });

    describe('with a broker', () => {
      let broker: Broker;
      const open: Consumer[] = [];
      beforeEach(async () => {
        broker = await connect();
      });
      afterEach(async () => {
        await Promise.all(open.splice(0).map((c) => c.close()));
        await broker.close();
      });

      test('keyed records land where Java clients put them, read back with fetch', async () => {
        const name = unique('layout');
        await broker.createTopic({ name, partitions: 4 });
        const keys = Array.from({ length: 40 }, (_, i) => `user-${i}`);
        const meta = await broker.produce(
          name,
          keys.map((k) => rec(k, k)),
        );
        meta.forEach((m, i) => expect(m.partition).toBe(partitionForKey(utf8(keys[i]!), 4)));
        const read: ConsumedRecord[] = [];
        for (let p = 0; p < 4; p++) read.push(...(await broker.fetch(name, p, 0, 100)));
        expect(values(read).sort()).toEqual([...keys].sort());
      });

      test('concurrent produce calls keep call order per partition', async () => {
        const name = unique('order');
        await broker.createTopic({ name, partitions: 1 });
        await Promise.all(Array.from({ length: 50 }, (_, i) => broker.produce(name, [rec('k', `${i}`)])));
        expect(values(await broker.fetch(name, 0, 0, 100))).toEqual(Array.from({ length: 50 }, (_, i) => `${i}`));
      });

      test('a large batch is split into requests and lands whole, in order', async () => {
        const name = unique('big');
        await broker.createTopic({ name, partitions: 2 });
        const value = utf8('x'.repeat(1000));
        const records = Array.from({ length: 5000 }, (_, i) => ({ key: utf8(`${i % 2}`), value, timestamp: i }));
        const meta = await broker.produce(name, records);
        expect(meta).toHaveLength(5000);
        const ends = await broker.endOffsets(name);
        expect(ends.reduce((n, e) => n + e.offset, 0)).toBe(5000);
        const byPartition = new Map<number, number[]>();
        meta.forEach((m) => byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), m.offset]));
        for (const offsets of byPartition.values()) expect(offsets).toEqual(offsets.map((_, i) => i));
      });

      test('what other clients write (gzip batches, headers) reads back; what we write other clients read', async () => {
        const name = unique('interop');
        await broker.createTopic({ name, partitions: 1 });
        const kafka = new kafkajs.Kafka({
          brokers: bootstrap!.split(','),
          clientId: 'interop',
          logLevel: kafkajs.logLevel.NOTHING,
        });
        const producer = kafka.producer({ allowAutoTopicCreation: false });
        await producer.connect();
        try {
          await producer.send({
            topic: name,
            compression: kafkajs.CompressionTypes.GZIP,
            messages: [
              { key: 'a', value: 'gz-1', timestamp: '1000', headers: { h: 'x' } },
              { key: null, value: 'gz-2', timestamp: '2000' },
            ],
          });
        } finally {
          await producer.disconnect();
        }
        const read = await broker.fetch(name, 0, 0, 10);
        expect(
          read.map((r) => [r.offset, text(r.key), text(r.value), r.timestamp, r.headers.map((h) => `${h.key}=${text(h.value)}`)]),
        ).toEqual([
          [0, 'a', 'gz-1', 1000, ['h=x']],
          [1, null, 'gz-2', 2000, []],
        ]);
        await broker.produce(name, [
          { key: utf8('b'), value: utf8('ours'), timestamp: 3000, headers: [{ key: 'h', value: utf8('y') }] },
        ]);
        const consumer = kafka.consumer({ groupId: unique('interop'), maxWaitTimeInMs: 100 });
        await consumer.connect();
        try {
          await consumer.subscribe({ topic: name, fromBeginning: true });
          const seen: string[] = [];
          await new Promise<void>((resolve) => {
            void consumer.run({
              eachMessage: async ({ message }) => {
                seen.push(
                  `${message.key?.toString() ?? 'null'}:${message.value?.toString()}@${message.timestamp}:${String(message.headers?.h ?? '')}`,
                );
                if (seen.length === 3) resolve();
              },
            });
          });
          expect(seen).toEqual(['a:gz-1@1000:x', 'null:gz-2@2000:', 'b:ours@3000:y']);
        } finally {
          await consumer.disconnect();
        }
      });

      test('partitions of a member that dies (SIGKILL, no LeaveGroup) move to the others after its session', async () => {
        const name = unique('dies');
        await broker.createTopic({ name, partitions: 4 });
        const groupId = unique('g');
        // The child runs the adapter transpiled to a temp dir: kafkajs is found through NODE_PATH.
        process.env.NODE_PATH = `${process.cwd()}/node_modules`;
        let child: Child | undefined;
        try {
          child = spawnChild(
            `const { createKafkaBroker } = await import(BUILD + '/broker/kafka/index.js');
const [bootstrap, topic, groupId, timing] = process.argv.slice(2);
const broker = await createKafkaBroker({ brokers: bootstrap.split(','), consumer: JSON.parse(timing) });
const c = await broker.subscribe({ groupId, topics: [topic], fromBeginning: true, clientId: 'doomed' });
for (;;) {
  await c.poll(100, 50);
  console.log('owns ' + c.assignment().length);
}`,
            [bootstrap!, name, groupId, JSON.stringify(TEST_TIMING)],
          );
          await child.waitFor(/^owns 4$/);
          const survivor = await broker.subscribe({ groupId, topics: [name], fromBeginning: true, clientId: 'survivor' });
          open.push(survivor);
          for (let i = 0; i < 500 && survivor.assignment().length !== 2; i++) await survivor.poll(10, 10);
          expect(survivor.assignment()).toHaveLength(2);
          child.process.kill('SIGKILL');
          await child.exited;
          const killed = Date.now();
          for (let i = 0; i < 2000 && survivor.assignment().length !== 4; i++) await survivor.poll(10, 10);
          expect(survivor.assignment()).toHaveLength(4);
          // Not before the session ran out (6 s), and not much after.
          expect(Date.now() - killed).toBeGreaterThan(3000);
          expect((await broker.describeGroup(groupId))?.members.map((m) => m.clientId)).toEqual(['survivor']);
        } finally {
          if (child !== undefined && child.process.exitCode === null) child.process.kill('SIGKILL');
        }
      });

      test('two consumers of one group split the partitions and hand them back when one leaves', async () => {
        const name = unique('rebalance');
        await broker.createTopic({ name, partitions: 4 });
        await broker.produce(
          name,
          [0, 1, 2, 3].map((p) => rec('k', `p${p}`, 1, p)),
        );
        const groupId = unique('g');
        const a = await broker.subscribe({ groupId, topics: [name], fromBeginning: true, onRevoke: () => a.commit() });
        open.push(a);
        expect(a.assignment()).toHaveLength(4);
        const b = await broker.subscribe({ groupId, topics: [name], fromBeginning: true });
        open.push(b);
        const seen: ConsumedRecord[] = [];
        for (let i = 0; i < 200 && (a.assignment().length !== 2 || b.assignment().length !== 2); i++) {
          const [ra, rb] = await Promise.all([a.poll(10, 20), b.poll(10, 20)]);
          seen.push(...ra, ...rb);
        }
        expect(a.assignment().map((tp) => tp.partition)).toEqual([0, 1]);
        expect(b.assignment().map((tp) => tp.partition)).toEqual([2, 3]);
        seen.push(...(await pollN(a, 2 - seen.filter((r) => r.partition < 2).length, 2000)));
        seen.push(...(await pollN(b, 2 - seen.filter((r) => r.partition >= 2).length, 2000)));
        expect(values(seen).sort()).toEqual(['p0', 'p1', 'p2', 'p3']);
        const d = await broker.describeGroup(groupId);
        expect(d?.members.map((m) => m.assignment.length).sort()).toEqual([2, 2]);
        await b.close();
        open.splice(open.indexOf(b), 1);
        for (let i = 0; i < 200 && a.assignment().length !== 4; i++) await a.poll(10, 20);
        expect(a.assignment()).toHaveLength(4);
      });
    });
  });
}

// What scripts/kafka/start.sh starts beside Kafka: Apicurio Registry's Confluent-compatible API,
// used through the client the serde layer uses.
if (registryUrl === undefined || registryUrl === '') {
  test.skip('schema registry (set KSQLITE_SCHEMA_REGISTRY_URL)', () => undefined);
} else {
  describe(`schema registry at ${registryUrl}`, () => {
    test('register an Avro schema under <topic>-value, encode, decode, look it up by id and subject', async () => {
      const { SchemaRegistry, SchemaType } = await import('@kafkajs/confluent-schema-registry');
      const registry = new SchemaRegistry({ host: registryUrl });
      const subject = `${unique('ratings')}-value`;
      const schema = {
        type: 'record',
        name: 'Rating',
        namespace: 'ksqlite.test',
        fields: [
          { name: 'RATING_ID', type: 'long' },
          { name: 'MESSAGE', type: ['null', 'string'], default: null },
        ],
      };
      const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject });
      expect((await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject })).id).toBe(id);
      const encoded = await registry.encode(id, { RATING_ID: 42, MESSAGE: 'hello' });
      expect(encoded[0]).toBe(0); // Confluent wire format: magic byte, then the 4-byte id
      expect(encoded.readInt32BE(1)).toBe(id);
      expect({ ...(await registry.decode(encoded)) }).toEqual({ RATING_ID: 42, MESSAGE: 'hello' });
      expect(await registry.getLatestSchemaId(subject)).toBe(id);
      expect((await registry.getSchema(id)).toString()).toContain('Rating');
      const evolved = { ...schema, fields: [...schema.fields, { name: 'STARS', type: 'int', default: 0 }] };
      const next = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(evolved) }, { subject });
      expect(next.id).not.toBe(id);
      // Confluent's default compatibility (BACKWARD, set by start.sh) refuses a new field without default.
      const incompatible = { ...schema, fields: [...schema.fields, { name: 'CHANNEL', type: 'string' }] };
      await expect(
        registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(incompatible) }, { subject }),
      ).rejects.toThrow();
      const subjects = (await (await fetch(`${registryUrl}/subjects`)).json()) as string[];
      expect(subjects).toContain(subject);
      // The registry is shared too.
      await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}`, { method: 'DELETE' });
      await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}?permanent=true`, { method: 'DELETE' });
    });
  });
}
