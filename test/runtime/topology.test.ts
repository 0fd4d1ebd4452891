/**
 * How a query is cut into sub-topologies: where it needs a repartition topic
 * (and ksqlDB's name for it), how many tasks each part has, which parts keep
 * state, and when a cut of one partition is fused away. Planned by the engine
 * over the in-memory broker, from the statements a user types.
 */
import { createMemoryBroker } from '../../src/broker/index.js';
import { Engine } from '../../src/engine/index.js';

interface Shape {
  readonly tasks: number;
  readonly stateful: boolean;
  readonly reads: readonly string[];
  readonly writes?: string;
}

/** The sub-topologies of the one persistent query `sql` starts, with topic names relative to its group. */
async function shape(ddl: string, sql: string): Promise<{ partitioned: boolean; subs: Shape[]; internal: string[] }> {
  const broker = createMemoryBroker();
  const engine = await Engine.create({ broker, queryDriver: 'manual' });
  try {
    await engine.execute(ddl);
    await engine.execute(sql);
    const q = engine.queries.all()[0];
    if (!q) throw new Error('no query started');
    const group = q.consumerGroup;
    const short = (t: string) => (t.startsWith(`${group}-`) ? t.slice(group.length + 1) : t);
    return {
      partitioned: q.partitioned,
      subs: q.subTopologies.map((s) => ({
        tasks: s.tasks,
        stateful: s.stateful,
        reads: [...s.sourceTopics, ...s.inputs.map((e) => short(e.topic))],
        ...(s.output ? { writes: short(s.output.topic) } : {}),
      })),
      internal: q.internalTopics.map(short),
    };
  } finally {
    await engine.close();
    await broker.close();
  }
}

const streams = `
  CREATE STREAM ORDERS (ID INT KEY, REGION STRING, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=4);
  CREATE STREAM ONE (ID INT KEY, REGION STRING) WITH (KAFKA_TOPIC='one', VALUE_FORMAT='JSON', PARTITIONS=1);
  CREATE STREAM SHIPMENTS (SID INT KEY, ORDER_ID INT, REGION STRING) WITH (KAFKA_TOPIC='shipments', VALUE_FORMAT='JSON', PARTITIONS=4);
  CREATE TABLE REGIONS (NAME STRING PRIMARY KEY, MANAGER STRING) WITH (KAFKA_TOPIC='regions', VALUE_FORMAT='JSON', PARTITIONS=4);
  CREATE TABLE CUSTOMERS (CID INT PRIMARY KEY, REGION STRING) WITH (KAFKA_TOPIC='customers', VALUE_FORMAT='JSON', PARTITIONS=4);
  CREATE TABLE ACCOUNTS (AID INT PRIMARY KEY, CUSTOMER INT) WITH (KAFKA_TOPIC='accounts', VALUE_FORMAT='JSON', PARTITIONS=4);`;

test('a stateless query is one sub-topology, a task per partition, with no internal topics', async () => {
  const s = await shape(streams, 'CREATE STREAM BIG AS SELECT * FROM ORDERS WHERE AMOUNT > 10;');
  expect(s).toEqual({ partitioned: true, subs: [{ tasks: 4, stateful: false, reads: ['orders'] }], internal: [] });
});

test('GROUP BY another column re-keys the stream through the group-by repartition topic', async () => {
  const s = await shape(streams, 'CREATE TABLE T AS SELECT REGION, COUNT(*) AS N FROM ORDERS GROUP BY REGION;');
  expect(s.subs).toEqual([
    { tasks: 4, stateful: false, reads: ['orders'], writes: 'Aggregate-GroupBy-repartition' },
    { tasks: 4, stateful: true, reads: ['Aggregate-GroupBy-repartition'] },
  ]);
  // The tasks' state goes to the query's changelog, partition p for task p.
  expect(s.internal).toEqual(['Aggregate-GroupBy-repartition', 'changelog']);
});

test('GROUP BY the key needs no repartition: the stream is already partitioned by it', async () => {
  const s = await shape(streams, 'CREATE TABLE T AS SELECT ID, SUM(AMOUNT) AS TOTAL FROM ORDERS GROUP BY ID;');
  expect(s.subs).toEqual([{ tasks: 4, stateful: true, reads: ['orders'] }]);
  expect(s.internal.some((t) => t.endsWith('-repartition'))).toBe(false);
});

test('a repartition of one partition is fused into the task that reads it', async () => {
  const s = await shape(streams, 'CREATE TABLE T AS SELECT REGION, COUNT(*) AS N FROM ONE GROUP BY REGION;');
  expect(s.subs).toEqual([{ tasks: 1, stateful: true, reads: ['one'] }]);
});

test('a stream-stream join on non-key columns re-keys both sides', async () => {
  const s = await shape(
    streams,
    'CREATE STREAM J AS SELECT O.REGION, S.SID FROM ORDERS O JOIN SHIPMENTS S WITHIN 1 HOUR ON O.REGION = S.REGION;',
  );
  expect(s.subs.map((x) => x.writes).filter(Boolean).sort()).toEqual(['Join-left-repartition', 'Join-right-repartition']);
  const join = s.subs[s.subs.length - 1];
  expect(join).toEqual({ tasks: 4, stateful: true, reads: ['Join-left-repartition', 'Join-right-repartition'] });
});

test('a stream-stream join of a key with a value column re-keys only the side that is not keyed by it', async () => {
  const s = await shape(streams, 'CREATE STREAM J AS SELECT O.ID, S.SID FROM ORDERS O JOIN SHIPMENTS S WITHIN 1 HOUR ON O.ID = S.ORDER_ID;');
  expect(s.subs).toEqual([
    { tasks: 4, stateful: false, reads: ['shipments'], writes: 'Join-right-repartition' },
    { tasks: 4, stateful: true, reads: ['orders', 'Join-right-repartition'] },
  ]);
});

test('a stream-table join re-keys the stream side by the table key', async () => {
  const s = await shape(streams, 'CREATE STREAM J AS SELECT O.ID, O.REGION, R.MANAGER FROM ORDERS O JOIN REGIONS R ON O.REGION = R.NAME;');
  expect(s.subs).toEqual([
    { tasks: 4, stateful: false, reads: ['orders'], writes: 'Join-repartition' },
    { tasks: 4, stateful: true, reads: ['regions', 'Join-repartition'] },
  ]);
});

test('a foreign-key join is not partitioned: one task over every partition', async () => {
  const s = await shape(streams, 'CREATE TABLE J AS SELECT A.AID, C.REGION FROM ACCOUNTS A JOIN CUSTOMERS C ON A.CUSTOMER = C.CID;');
  expect(s.partitioned).toBe(false);
  expect(s.subs).toEqual([{ tasks: 1, stateful: true, reads: ['accounts', 'customers'] }]);
});
