import { createMemoryBroker, type Broker } from '../../src/broker/index.js';
import { Engine } from '../../src/engine/index.js';

const decoder = new TextDecoder();

async function values(broker: Broker, topic: string): Promise<string[]> {
  const out: string[] = [];
  for (const { partition } of await broker.endOffsets(topic)) {
    for (const r of await broker.fetch(topic, partition, 0, 10_000)) out.push(r.value === null ? 'null' : decoder.decode(r.value));
  }
  return out;
}

test('a restart brings back streams, types and queries, and queries resume where they stopped', async () => {
  const broker = createMemoryBroker();
  const first = await Engine.create({ broker, commandLog: true, queryDriver: 'manual' });
  await first.execute(`
    SET 'auto.offset.reset' = 'earliest';
    CREATE TYPE ADDRESS AS STRUCT<CITY STRING>;
    CREATE STREAM S (ID INT KEY, V INT, A ADDRESS) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
    CREATE STREAM BIG AS SELECT ID, V FROM S WHERE V > 10;
    CREATE STREAM GONE (X INT) WITH (KAFKA_TOPIC='gone', VALUE_FORMAT='JSON', PARTITIONS=1);
    DROP STREAM GONE;
    INSERT INTO S (ID, V) VALUES (1, 5);
    INSERT INTO S (ID, V) VALUES (2, 50);`);
  await first.drain();
  expect(await values(broker, 'BIG')).toEqual(['{"V":50}']);
  const queryId = first.queries.all()[0]?.id;
  await first.close();

  // While it is down, more data arrives.
  const writer = await Engine.create({ broker, queryDriver: 'manual' });
  await writer.execute("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON'); INSERT INTO S (ID, V) VALUES (3, 70);");
  await writer.close();

  const second = await Engine.create({ broker, commandLog: true, queryDriver: 'manual' });
  expect(second.restoreWarnings).toEqual([]);
  expect(second.metastore.allSources().map((s) => s.name)).toEqual(['BIG', 'S']);
  expect(second.metastore.getType('ADDRESS')).toBeDefined();
  expect(second.queries.all().map((q) => q.id)).toEqual([queryId]);
  await second.drain();
  // Only the new record is processed: no output lost, none repeated.
  expect(await values(broker, 'BIG')).toEqual(['{"V":50}', '{"V":70}']);

  // A new query's id continues the numbering.
  const [created] = await second.execute('CREATE STREAM SMALL AS SELECT ID, V FROM S WHERE V <= 10;');
  expect(created?.result).toMatchObject({ type: 'message' });
  const ids = second.queries.all().map((q) => q.id);
  expect(new Set(ids).size).toBe(2);
  await second.execute(`TERMINATE ${ids[1]};`);
  await second.close();

  const third = await Engine.create({ broker, commandLog: true, queryDriver: 'manual' });
  expect(third.queries.all().map((q) => q.id)).toEqual([queryId]);
  await third.close();
  await broker.close();
});

test('a statement that fails is not logged', async () => {
  const broker = createMemoryBroker();
  const e = await Engine.create({ broker, commandLog: true });
  await expect(e.execute("CREATE STREAM X (A INT) WITH (KAFKA_TOPIC='missing', VALUE_FORMAT='JSON');")).rejects.toThrow();
  await e.close();
  const again = await Engine.create({ broker, commandLog: true });
  expect(again.restoreWarnings).toEqual([]);
  expect(again.metastore.allSources()).toEqual([]);
  await again.close();
  await broker.close();
});

test('an aggregation restored from its changelog carries on counting after a restart', async () => {
  const broker = createMemoryBroker();
  const first = await Engine.create({ broker, commandLog: true, queryDriver: 'manual' });
  await first.execute(`
    SET 'auto.offset.reset' = 'earliest';
    CREATE STREAM CLICKS (USER_ID STRING, PAGE STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);
    CREATE TABLE PER_USER AS SELECT USER_ID, COUNT(*) AS N FROM CLICKS GROUP BY USER_ID;
    INSERT INTO CLICKS (USER_ID, PAGE) VALUES ('alice', 'a');
    INSERT INTO CLICKS (USER_ID, PAGE) VALUES ('alice', 'b');`);
  await first.drain();
  await first.close();

  const second = await Engine.create({ broker, commandLog: true, queryDriver: 'manual' });
  await second.execute("INSERT INTO CLICKS (USER_ID, PAGE) VALUES ('alice', 'c');");
  await second.drain();
  // The third click is counted on top of the two before the restart.
  expect(await values(broker, 'PER_USER')).toEqual(['{"N":1}', '{"N":2}', '{"N":3}']);
  await second.close();
  await broker.close();
});

/** The last TOTAL per key of a table's topic (JSON values, KAFKA string keys). */
async function latest(broker: Broker, topic: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const { partition } of await broker.endOffsets(topic)) {
    for (const r of await broker.fetch(topic, partition, 0, 10_000)) {
      if (r.key !== null && r.value !== null) out.set(decoder.decode(r.key), (JSON.parse(decoder.decode(r.value)) as { TOTAL: number }).TOTAL);
    }
  }
  return out;
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('two engines on one log', () => {
  test('a stateful query shares its tasks between them; the one that stays takes over the tasks and state of the one that leaves', async () => {
    const broker = createMemoryBroker();
    const a = await Engine.create({ broker, commandLog: true, followCommands: true });
    await a.execute(`
      SET 'auto.offset.reset' = 'earliest';
      CREATE STREAM S (ID INT KEY, REGION STRING, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=2);
      CREATE TABLE TOTALS AS SELECT REGION, SUM(V) AS TOTAL FROM S GROUP BY REGION;`);
    const b = await Engine.create({ broker, commandLog: true, followCommands: true });
    expect(b.queries.all().map((q) => q.id)).toEqual(a.queries.all().map((q) => q.id));
    // Two sub-topologies (before and after the group-by repartition topic), two tasks each: one per process.
    const shared = (e: Engine) => JSON.stringify(e.queries.all()[0]?.tasks.map((t) => t.length));
    expect(await eventually(async () => shared(a), (t) => t === '[1,1]')).toBe('[1,1]');
    expect(await eventually(async () => shared(b), (t) => t === '[1,1]')).toBe('[1,1]');
    const internal = a.queries.all()[0]?.internalTopics ?? [];
    expect(internal.some((t) => t.endsWith('-Aggregate-GroupBy-repartition'))).toBe(true);
    for (const t of internal) expect(await broker.topicExists(t)).toBe(true);

    const regions = ['north', 'south', 'east', 'west'];
    const expected = new Map<string, number>();
    let inserts = '';
    for (let i = 0; i < 40; i++) {
      const region = regions[i % 4] as string;
      expected.set(region, (expected.get(region) ?? 0) + i);
      inserts += `INSERT INTO S (ID, REGION, V) VALUES (${i}, '${region}', ${i});`;
    }
    await b.execute(inserts);
    expect(await a.settle()).toBe(true);
    expect(await b.settle()).toBe(true);
    expect(await latest(broker, 'TOTALS')).toEqual(expected);
    // Both did some of the aggregating.
    expect(a.queries.all()[0]?.metrics.messagesIn).toBeGreaterThan(0);
    expect(b.queries.all()[0]?.metrics.messagesIn).toBeGreaterThan(0);

    await a.close();
    expect(await eventually(async () => shared(b), (t) => t === '[2,2]')).toBe('[2,2]');
    let more = '';
    for (let i = 0; i < 8; i++) {
      const region = regions[i % 4] as string;
      expected.set(region, (expected.get(region) ?? 0) + 100);
      more += `INSERT INTO S (ID, REGION, V) VALUES (${i}, '${region}', 100);`;
    }
    await b.execute(more);
    expect(await b.settle()).toBe(true);
    // The sums carry on from the state b restored from the changelog: nothing lost, nothing counted twice.
    expect(await latest(broker, 'TOTALS')).toEqual(expected);
    await b.close();
    await broker.close();
  });

  test('a stateless query runs in both, each taking a share of the partitions', async () => {
    const broker = createMemoryBroker();
    const a = await Engine.create({ broker, commandLog: true, followCommands: true });
    await a.execute(`
      SET 'auto.offset.reset' = 'earliest';
      CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=2);
      CREATE STREAM BIG AS SELECT ID, V FROM S WHERE V > 10;`);
    const b = await Engine.create({ broker, commandLog: true, followCommands: true });
    await eventually(async () => a.queries.all()[0]?.assignedPartitions ?? 0, (n) => n === 1);
    expect(a.queries.all()[0]?.assignedPartitions).toBe(1);
    expect(await eventually(async () => b.queries.all()[0]?.assignedPartitions ?? 0, (n) => n === 1)).toBe(1);
    let inserts = '';
    for (let i = 0; i < 20; i++) inserts += `INSERT INTO S (ID, V) VALUES (${i}, ${i * 2});`;
    await b.execute(inserts);
    expect(await a.settle()).toBe(true);
    expect(await b.settle()).toBe(true);
    const outputs = (await values(broker, 'BIG')).map((v) => (JSON.parse(v) as { V: number }).V).sort((x, y) => x - y);
    expect(outputs).toEqual([12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38]);
    // Both did some of the work.
    expect(a.queries.all()[0]?.metrics.messagesIn).toBeGreaterThan(0);
    expect(b.queries.all()[0]?.metrics.messagesIn).toBeGreaterThan(0);
    await a.close();
    await b.close();
    await broker.close();
  });

  test('statements run in one engine reach the other while it runs', async () => {
    const broker = createMemoryBroker();
    const a = await Engine.create({ broker, commandLog: true, followCommands: true });
    const b = await Engine.create({ broker, commandLog: true, followCommands: true });
    await b.execute(`CREATE STREAM T (V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);
      CREATE STREAM T2 AS SELECT V FROM T;`);
    const names = await eventually(async () => a.metastore.allSources().map((s) => s.name), (n) => n.length === 2);
    expect(names.sort()).toEqual(['T', 'T2']);
    expect(a.queries.all().map((q) => q.id)).toEqual(b.queries.all().map((q) => q.id));
    // A query created in `a` afterwards gets a number of its own.
    await a.execute('CREATE STREAM T3 AS SELECT V FROM T;');
    const ids = a.queries.all().map((q) => q.id);
    expect(new Set(ids).size).toBe(2);
    await eventually(async () => b.queries.all().length, (n) => n === 2);
    expect(b.queries.all().map((q) => q.id).sort()).toEqual([...ids].sort());
    // TERMINATE in one stops the query in both.
    await b.execute(`TERMINATE ${ids[1]};`);
    expect(await eventually(async () => a.queries.all().length, (n) => n === 1)).toBe(1);
    expect(a.restoreWarnings).toEqual([]);
    await a.close();
    await b.close();
    await broker.close();
  });

  test('a queries file run again skips what the command log already holds', async () => {
    const broker = createMemoryBroker();
    const script = `CREATE STREAM Q (V INT) WITH (KAFKA_TOPIC='q', VALUE_FORMAT='JSON', PARTITIONS=1);
      CREATE STREAM Q2 AS SELECT V FROM Q;`;
    const first = await Engine.create({ broker, commandLog: true });
    await first.execute(script);
    await first.close();
    const again = await Engine.create({ broker, commandLog: true });
    const results = [];
    for await (const r of again.executeScript(script, { skipApplied: true })) results.push(r.result);
    expect(results).toEqual([
      expect.objectContaining({ message: expect.stringContaining('Already applied') }),
      expect.objectContaining({ message: expect.stringContaining('Already applied') }),
    ]);
    expect(again.queries.all()).toHaveLength(1);
    await again.close();
    await broker.close();
  });
});
