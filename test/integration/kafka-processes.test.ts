/**
 * Several real `ksqlite` processes on one Kafka cluster with one service id:
 * a process that exits and another that picks its streams and queries up from
 * the command topic; two headless `run`s sharing the tasks of a stateless query
 * and a stateful one, one of them killed with SIGKILL. Input is written by kcat and
 * output read by kcat, independent clients. Every run has its own service id
 * and topic names, removed at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  background,
  bootstrap,
  deleteRunData,
  kafkaTest,
  kcatProduce,
  kcatRecords,
  kcatVersion,
  killAll,
  ksqlite,
  multisetDiff,
  runId,
  sleep,
  until,
} from './kafka-support.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-kafka-procs-'));
const runs: string[] = [];

afterAll(async () => {
  killAll();
  fs.rmSync(scratch, { recursive: true, force: true });
  if (bootstrap !== undefined) await deleteRunData(bootstrap, runs.map((r) => `${r}_`), runs);
}, 120_000);

function newRun(tag: string): { run: string; prefix: string; backend: string[] } {
  const run = runId(tag);
  runs.push(run);
  return { run, prefix: `${run}_`, backend: ['--bootstrap-server', bootstrap!, '--service-id', run] };
}

/** Writes keyed JSON records to a topic with kcat. */
function produce(topic: string, records: ReadonlyArray<readonly [string, object]>): Promise<void> {
  return kcatProduce(bootstrap!, topic, records.map(([k, v]) => `${k}\t${JSON.stringify(v)}`));
}

/** A topic's records as {key, value} (value parsed JSON), read by kcat. */
async function keyedValues(topic: string): Promise<Array<{ key: string | null; value: Record<string, unknown> | null }>> {
  return (await kcatRecords(bootstrap!, topic)).map((r) => ({
    key: r.key?.toString('utf8') ?? null,
    value: r.value === null ? null : (JSON.parse(r.value.toString('utf8')) as Record<string, unknown>),
  }));
}

const haveKcat = kcatVersion() !== undefined;
if (!haveKcat) console.warn('kcat is not installed (scripts/kafka/tools.sh installs it): the Kafka process tests are skipped.');
const kafkaWithKcat = (what: string): jest.It => (haveKcat ? kafkaTest(what) : test.skip);

// --- restart with the command topic ----------------------------------------------------------

interface View {
  readonly user: string;
  readonly page: string;
  readonly dwell: number;
}

const views = (from: number, to: number): View[] =>
  Array.from({ length: to - from }, (_, j) => {
    const i = from + j;
    return { user: `user_${i % 7}`, page: `/page/${i}`, dwell: (i * 13) % 60 };
  });

/** LONG_VIEWS's records for some views: key USER_ID, value PAGE and DWELL. */
const longViews = (vs: readonly View[]) =>
  vs.filter((v) => v.dwell >= 30).map((v) => ({ key: v.user, value: { PAGE: v.page, DWELL: v.dwell } }));

kafkaWithKcat('restart with the command topic')(
  'a second process with the same service id shows what the first created, and its query processes what came meanwhile, once',
  async () => {
    const { prefix, backend } = newRun('restart');
    const input = `${prefix}pageviews`;
    const before = views(0, 40);
    const first = await ksqlite([
      ...backend,
      '-e',
      `SET 'auto.offset.reset' = 'earliest';
       SET 'ksql.output.topic.name.prefix' = '${prefix}';
       CREATE STREAM PAGEVIEWS (USER_ID STRING KEY, PAGE STRING, DWELL INT) WITH (KAFKA_TOPIC='${input}', VALUE_FORMAT='JSON', PARTITIONS=2);
       CREATE STREAM LONG_VIEWS AS SELECT USER_ID, PAGE, DWELL FROM PAGEVIEWS WHERE DWELL >= 30;
       ${before.map((v) => `INSERT INTO PAGEVIEWS (USER_ID, PAGE, DWELL) VALUES ('${v.user}', '${v.page}', ${v.dwell});`).join('\n')}`,
    ]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const queryId = /Created query with ID (\S+)/.exec(first.out)?.[1];
    expect(queryId).toMatch(/^CSAS_LONG_VIEWS_\d+$/);
    // The first process caught its query up before it exited.
    expect(multisetDiff(await keyedValues(`${prefix}LONG_VIEWS`), longViews(before))).toEqual({ missing: [], unexpected: [] });

    // Written while no ksqlite runs.
    const meanwhile = views(40, 140);
    await produce(input, meanwhile.map((v) => [v.user, { PAGE: v.page, DWELL: v.dwell }]));

    const second = await ksqlite([...backend, '-e', 'SHOW STREAMS; SHOW QUERIES;']);
    expect(second.err).toBe('');
    expect(second.code).toBe(0);
    expect(second.out).toMatch(new RegExp(`PAGEVIEWS +\\| ${input} +\\| KAFKA +\\| JSON`));
    expect(second.out).toMatch(new RegExp(`LONG_VIEWS +\\| ${prefix}LONG_VIEWS +\\| KAFKA +\\| JSON`));
    expect(second.out).toMatch(new RegExp(`${queryId} +\\| PERSISTENT +\\| RUNNING:1 +\\| LONG_VIEWS +\\| ${prefix}LONG_VIEWS +\\|`));
    // It resumed where the first stopped: the new views processed, none of the old ones again.
    expect(multisetDiff(await keyedValues(`${prefix}LONG_VIEWS`), longViews([...before, ...meanwhile]))).toEqual({
      missing: [],
      unexpected: [],
    });
  },
  120_000,
);

// --- two processes, one killed -----------------------------------------------------------------

const regions = 10;
const order = (i: number): readonly [string, object] => [`o${i}`, { REGION: `r${i % regions}`, AMOUNT: i % 200 }];
const orders = (from: number, to: number) => Array.from({ length: to - from }, (_, j) => order(from + j));
/** BIG_ORDERS's keys for orders [from, to). */
const bigKeys = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, j) => from + j)
    .filter((i) => i % 200 >= 100)
    .map((i) => `o${i}`)
    .sort();

kafkaWithKcat('two-process failover')(
  'two headless runs share a stateless and a stateful query; one is killed, the other takes over and nothing is lost',
  async () => {
    const { prefix, backend } = newRun('failover');
    const app = path.join(scratch, 'failover.sql');
    fs.writeFileSync(
      app,
      `SET 'auto.offset.reset' = 'earliest';
SET 'ksql.output.topic.name.prefix' = '${prefix}';
CREATE STREAM ORDERS (ID STRING KEY, REGION STRING, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='${prefix}orders', VALUE_FORMAT='JSON', PARTITIONS=4);
CREATE STREAM BIG_ORDERS AS SELECT ID, AMOUNT FROM ORDERS WHERE AMOUNT >= 100;
CREATE TABLE REGION_COUNTS AS SELECT REGION, COUNT(*) AS N FROM ORDERS GROUP BY REGION;
`,
    );
    const big = async () => (await keyedValues(`${prefix}BIG_ORDERS`)).map((r) => r.key as string).sort();
    /** The latest N per region (the table's changelog, read to its end). */
    const counts = async () => {
      const latest = new Map<string, unknown>();
      for (const r of await keyedValues(`${prefix}REGION_COUNTS`)) latest.set(r.key as string, r.value?.N);
      return [...latest].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}=${String(n)}`).join(',');
    };
    const countsOf = (n: number) =>
      Array.from({ length: regions }, (_, r) => `r${r}=${n / regions}`).sort().join(',');

    // a starts first; when b joins, the two share the partitions of both queries (the aggregation's
    // tasks on both sides of its group-by repartition topic too).
    const a = background(['run', '--queries-file', app, ...backend]);
    await until('a to start', a.output, (o) => o.includes('running 2 persistent queries'), 60_000);
    const b = background(['run', '--queries-file', app, ...backend]);
    await until('b to start', b.output, (o) => o.includes('running 2 persistent queries'), 60_000);
    expect(b.output()).toContain('Already applied');

    await produce(`${prefix}orders`, orders(0, 1000));
    await until('BIG_ORDERS', big, (ks) => ks.length >= 500, 60_000);
    await until('REGION_COUNTS', counts, (c) => c === countsOf(1000), 60_000);
    // Idle now: a dies with everything it processed committed.
    await sleep(1000);
    a.proc.kill('SIGKILL');
    await a.exited;

    await produce(`${prefix}orders`, orders(1000, 1400));
    // b gets a's partitions of both queries once a's session runs out (about 10 s), restoring
    // a's aggregation tasks from the changelog: the counts go on from 100, not from 0.
    await until('BIG_ORDERS after the takeover', big, (ks) => ks.length >= 700, 90_000);
    await until('REGION_COUNTS after the takeover', counts, (c) => c === countsOf(1400), 90_000);
    b.proc.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    // Killed while idle: every output exactly once.
    expect(await big()).toEqual(bigKeys(0, 1400));
    expect(await counts()).toBe(countsOf(1400));
  },
  240_000,
);
