/**
 * Several real `ksqlite` processes on one data directory, as people use them:
 * `produce` then queries, a headless `run` stopped by SIGTERM and run again,
 * a `run` killed with SIGKILL mid-way and restarted, two `run`s sharing the
 * work, and a transient query in one process fed by inserts from another.
 * Every process runs the compiled code (npm test builds dist/ first).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/paths.js';

const bin = path.join(repoRoot, 'bin/ksqlite');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-procs-'));
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const p of running) p.kill('SIGKILL');
  fs.rmSync(scratch, { recursive: true, force: true });
});

function dataDir(): string {
  return fs.mkdtempSync(path.join(scratch, 'data-'));
}

function ksqlite(dir: string, args: string[], input = '') {
  const r = spawnSync(process.execPath, [bin, '--data-dir', dir, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Background {
  readonly proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function background(dir: string, args: string[]): Background {
  const proc = spawn(process.execPath, [bin, '--data-dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      running.delete(proc);
      resolve(code);
    }),
  );
  return { proc, output: () => out, exited };
}

/** Runs ksqlite without blocking the test's event loop (other processes' output keeps flowing). */
function ksqliteAsync(dir: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, '--data-dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}

async function until<T>(what: string, read: () => T | Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A topic's records as `key value` strings, read with `ksqlite print` (a separate process). */
async function topicRecords(dir: string, topic: string): Promise<{ key: string; value: string }[]> {
  if (!fs.existsSync(path.join(dir, 'topics', topic))) return [];
  const r = await ksqliteAsync(dir, ['print', topic, '--from-beginning', '--exit']);
  return r.out
    .split('\n')
    .filter((l) => l.startsWith('rowtime:'))
    .map((l) => {
      const m = /key: (.*?), value: (.*), partition: \d+$/.exec(l);
      return { key: m?.[1] ?? '', value: m?.[2] ?? l };
    });
}

async function topicValues(dir: string, topic: string): Promise<string[]> {
  return (await topicRecords(dir, topic)).map((r) => r.value);
}

const APP = `
SET 'auto.offset.reset' = 'earliest';
CREATE STREAM ORDERS (ID INT KEY, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE STREAM BIG_ORDERS AS SELECT ID, AMOUNT FROM ORDERS WHERE AMOUNT >= 100;
`;

function orderLines(from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += `${i}\t${JSON.stringify({ AMOUNT: i % 200 })}\n`;
  return s;
}

/** The ids with AMOUNT >= 100 among orders [from, to). */
function expectedBig(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) if (i % 200 >= 100) out.push(i);
  return out;
}

/** The order ids in BIG_ORDERS (its key), in topic order per partition. */
async function bigIds(dir: string): Promise<number[]> {
  return (await topicRecords(dir, 'BIG_ORDERS')).map((r) => Number(r.key));
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

test('produce 300k JSON lines, then a filter CSAS and a transient SELECT ... LIMIT of its output', async () => {
  const dir = dataDir();
  const file = path.join(scratch, 'events.jsonl');
  const channels = ['web', 'mobile', 'store'];
  const lines: string[] = [];
  for (let i = 0; i < 300_000; i++) lines.push(JSON.stringify({ ID: i, CHANNEL: channels[i % 3], AMOUNT: (i % 1000) / 10 }));
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const produced = ksqlite(dir, ['produce', 'events', '-f', file, '--partitions', '2']);
  expect(produced.err).toContain('Produced 300000 records to events (topic created)');
  expect(produced.code).toBe(0);

  const r = ksqlite(dir, [
    '-e',
    `SET 'auto.offset.reset' = 'earliest';
     CREATE STREAM EVENTS (ID INT, CHANNEL STRING, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='events', VALUE_FORMAT='JSON');
     CREATE STREAM BIG AS SELECT ID, AMOUNT FROM EVENTS WHERE AMOUNT >= 99.9;
     SELECT ID, AMOUNT FROM BIG EMIT CHANGES LIMIT 5;`,
  ]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toContain('Limit Reached');
  expect(r.out.match(/\|\d+ +\|99\.9 +\|/g)).toHaveLength(5);
  // The process caught the query up before it exited: one output per matching event.
  expect(await topicValues(dir, 'BIG')).toHaveLength(300);
}, 60_000);

test('produce reports lines it cannot use, by line number, and keeps the rest', () => {
  const dir = dataDir();
  const r = ksqlite(dir, ['produce', 't'], '{"A":1}\nnot json\n\n{"A":2}\n');
  expect(r.code).toBe(1);
  expect(r.err).toContain('stdin:2: skipped: not JSON');
  expect(r.err).toContain('Produced 2 records to t (topic created); 1 line(s) skipped');
});

test('a headless run stops on SIGTERM with exit 0; run again, it skips what it applied and carries on', async () => {
  const dir = dataDir();
  const app = path.join(scratch, 'app-term.sql');
  fs.writeFileSync(app, APP);
  const first = background(dir, ['run', '--queries-file', app]);
  await until('the run to start', first.output, (o) => o.includes('running 1 persistent query'));
  expect(ksqlite(dir, ['produce', 'orders', '--key-format', 'int'], orderLines(0, 400)).code).toBe(0);
  await until('outputs', async () => (await bigIds(dir)).length, (n) => n === 200);
  first.proc.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(first.output()).toContain('SIGTERM: stopping');

  const second = background(dir, ['run', '--queries-file', app]);
  await until('the second run to start', second.output, (o) => o.includes('running 1 persistent query'));
  expect(second.output()).toContain('Already applied');
  expect(ksqlite(dir, ['produce', 'orders', '--key-format', 'int'], orderLines(400, 600)).code).toBe(0);
  await until('outputs', async () => (await bigIds(dir)).length, (n) => n >= 300);
  second.proc.kill('SIGINT');
  expect(await second.exited).toBe(0);
  // Nothing lost, nothing repeated.
  expect(sorted(await bigIds(dir))).toEqual(expectedBig(0, 600));
}, 60_000);

test('kill -9 of a headless run while it processes, then a restart: every expected output is there', async () => {
  const dir = dataDir();
  const app = path.join(scratch, 'app-kill.sql');
  fs.writeFileSync(app, APP);
  // The input is there first, so the run is busy when it is killed.
  ksqlite(dir, ['-e', "CREATE STREAM ORDERS (ID INT KEY, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=2);"]);
  const total = 200_000;
  expect(ksqlite(dir, ['produce', 'orders', '--key-format', 'int'], orderLines(0, total)).code).toBe(0);
  const first = background(dir, ['run', '--queries-file', app]);
  await until('some output', () => (fs.existsSync(path.join(dir, 'topics', 'BIG_ORDERS')) ? 1 : 0), (n) => n === 1);
  await new Promise((r) => setTimeout(r, 300));
  first.proc.kill('SIGKILL');
  await first.exited;

  const second = background(dir, ['run', '--queries-file', app]);
  await until('the restart', second.output, (o) => o.includes('running 1 persistent query'));
  const want = total / 2;
  await until('every output', async () => (await bigIds(dir)).length, (n) => n >= want, 60_000);
  second.proc.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  // At least once: every expected output present (a batch in flight at the kill may repeat).
  const ids = await bigIds(dir);
  expect(sorted([...new Set(ids)])).toEqual(expectedBig(0, total));
}, 120_000);

const APP_WITH_COUNTS = `${APP}
CREATE TABLE ORDER_COUNTS AS SELECT ID % 10 AS BUCKET, COUNT(*) AS N FROM ORDERS GROUP BY ID % 10;
`;

/** The latest N per BUCKET in ORDER_COUNTS (its changelog read from the start). */
async function latestCounts(dir: string): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  for (const r of await topicRecords(dir, 'ORDER_COUNTS')) latest.set(r.key, (JSON.parse(r.value) as { N: number }).N);
  return latest;
}

test('two headless runs on one data directory share a query without doubling its output; when one is killed the other takes over', async () => {
  const dir = dataDir();
  const app = path.join(scratch, 'app-two.sql');
  fs.writeFileSync(app, APP_WITH_COUNTS);
  const a = background(dir, ['run', '--queries-file', app]);
  await until('a to start', a.output, (o) => o.includes('running 2 persistent queries'));
  const b = background(dir, ['run', '--queries-file', app]);
  await until('b to start', b.output, (o) => o.includes('running 2 persistent queries'));
  expect(ksqlite(dir, ['produce', 'orders', '--key-format', 'int'], orderLines(0, 1000)).code).toBe(0);
  await until('outputs', async () => (await bigIds(dir)).length, (n) => n >= 500);
  await new Promise((r) => setTimeout(r, 500));
  // Exactly once each: the two split the partitions, neither processed a record the other did.
  expect(sorted(await bigIds(dir))).toEqual(expectedBig(0, 1000));
  // The aggregation ran in one process only (a lease): no order counted twice.
  await until('counts', async () => [...(await latestCounts(dir)).values()].join(), (v) => v === Array(10).fill(100).join());

  a.proc.kill('SIGKILL');
  await a.exited;
  expect(ksqlite(dir, ['produce', 'orders', '--key-format', 'int'], orderLines(1000, 1400)).code).toBe(0);
  await until('outputs after the takeover', async () => (await bigIds(dir)).length, (n) => n >= 700);
  b.proc.kill('SIGTERM');
  expect(await b.exited).toBe(0);
  expect(sorted(await bigIds(dir))).toEqual(expectedBig(0, 1400));
  // The survivor took the aggregation over with its state: it counts on from 100.
  await until('counts after the takeover', async () => [...(await latestCounts(dir)).values()].join(), (v) => v === Array(10).fill(140).join());
}, 90_000);

test('a transient query in one process shows rows another process inserts', async () => {
  const dir = dataDir();
  ksqlite(dir, ['-e', "CREATE STREAM PAGES (ID INT KEY, URL STRING) WITH (KAFKA_TOPIC='pages', VALUE_FORMAT='JSON', PARTITIONS=1);"]);
  const tail = background(dir, ['-e', 'SELECT ID, URL FROM PAGES EMIT CHANGES LIMIT 2;']);
  await until('the query header', tail.output, (o) => o.includes('|ID'));
  ksqlite(dir, ['-e', "INSERT INTO PAGES (ID, URL) VALUES (1, 'http://one');"]);
  ksqlite(dir, ['-e', "INSERT INTO PAGES (ID, URL) VALUES (2, 'http://two');"]);
  expect(await tail.exited).toBe(0);
  expect(tail.output()).toMatch(/\|1 +\|http:\/\/one +\|/);
  expect(tail.output()).toMatch(/\|2 +\|http:\/\/two +\|/);
  expect(tail.output()).toContain('Limit Reached');
}, 30_000);

test('a data directory that cannot be created is a clear error, naming it', () => {
  const file = path.join(scratch, 'a-file');
  fs.writeFileSync(file, 'not a folder');
  const r = ksqlite(path.join(file, 'data'), ['-e', 'SHOW STREAMS;']);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/Cannot create the data directory .*a-file\/data/);
  expect(r.err).not.toMatch(/\n\s+at /);
});
