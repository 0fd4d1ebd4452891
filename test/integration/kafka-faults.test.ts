/**
 * Bad situations on Kafka, met by the `ksqlite` CLI: no broker at the
 * address given, a source on a topic that does not exist, and the broker
 * restarted under a running query.
 *
 * The restart uses a broker of its own (scripts/kafka/start.sh with another
 * state directory and other ports, sharing the downloaded jars): stopping the
 * shared one would break whatever else runs against it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/paths.js';
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
  runId,
  sleep,
  topicExists,
  until,
} from './kafka-support.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-kafka-faults-'));
const runs: string[] = [];
let ownBroker: { env: NodeJS.ProcessEnv } | undefined;

afterAll(async () => {
  killAll();
  if (ownBroker !== undefined) await script('stop.sh', { ...ownBroker.env, KSQLITE_KAFKA_WIPE: '1' }).catch(() => undefined);
  fs.rmSync(scratch, { recursive: true, force: true });
  if (bootstrap !== undefined) await deleteRunData(bootstrap, runs.map((r) => `${r}_`), runs);
}, 120_000);

function newRun(tag: string): { run: string; prefix: string } {
  const run = runId(tag);
  runs.push(run);
  return { run, prefix: `${run}_` };
}

/** Runs scripts/kafka/<name> (non-blocking); rejects when it fails. */
function script(name: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(path.join(repoRoot, 'scripts/kafka', name), [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`scripts/kafka/${name} failed (${code}):\n${out}`))));
  });
}

/** A TCP port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

kafkaTest('the unreachable-broker test')('a broker nobody answers at: a clear error naming the address, exit 1, no stack trace', async () => {
  const r = await ksqlite(['--bootstrap-server', '127.0.0.1:9093', '-e', 'SHOW STREAMS;'], { timeoutMs: 60_000 });
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/Cannot connect to Kafka at 127\.0\.0\.1:9093/);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.out).toBe('');
  // Within the connection timeout (10 s), with time for node to start.
  expect(r.ms).toBeLessThan(15_000);
}, 60_000);

kafkaTest('the missing-topic test')("a source on a topic that does not exist: ksqlDB's error, exit 1", async () => {
  const { run, prefix } = newRun('missing');
  const topic = `${prefix}nothing_here`;
  const r = await ksqlite([
    '--bootstrap-server',
    bootstrap!,
    '--service-id',
    run,
    '-e',
    `CREATE STREAM GHOST (ID INT KEY, A STRING) WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='JSON');`,
  ]);
  expect(r.code).toBe(1);
  expect(r.err).toContain(
    `Topic '${topic}' does not exist. If you want to create a new topic for the stream please re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS').`,
  );
  expect(r.err).not.toMatch(/\n\s+at /);
  // Nothing was created on the broker, and the stream is not in the command topic.
  const shown = await ksqlite(['--bootstrap-server', bootstrap!, '--service-id', run, '-e', 'SHOW STREAMS;']);
  expect(shown.code).toBe(0);
  expect(shown.out).not.toContain('GHOST');
  expect(await topicExists(bootstrap!, topic)).toBe(false);
}, 60_000);

const haveKcat = kcatVersion() !== undefined;
if (!haveKcat) console.warn('kcat is not installed (scripts/kafka/tools.sh installs it): the broker restart test is skipped.');

(haveKcat ? kafkaTest('the broker restart test') : test.skip)(
  'the broker restarts under running queries: they carry on, nothing lost, nothing counted twice',
  async () => {
    const started = Date.now();
    const port = await freePort();
    const controller = await freePort();
    const env = {
      ...process.env,
      KSQLITE_KAFKA_STATE_DIR: path.join(scratch, 'broker'),
      KSQLITE_KAFKA_PORT: String(port),
      KSQLITE_KAFKA_CONTROLLER_PORT: String(controller),
      KSQLITE_NO_REGISTRY: '1',
    };
    ownBroker = { env };
    await script('start.sh', env);
    const servers = `127.0.0.1:${port}`;

    const { run } = newRun('restart');
    const app = path.join(scratch, 'restart.sql');
    fs.writeFileSync(
      app,
      `SET 'auto.offset.reset' = 'earliest';
CREATE STREAM ORDERS (ID STRING KEY, REGION STRING, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE STREAM BIG_ORDERS AS SELECT ID, AMOUNT FROM ORDERS WHERE AMOUNT >= 100;
CREATE TABLE REGION_COUNTS AS SELECT REGION, COUNT(*) AS N FROM ORDERS GROUP BY REGION;
`,
    );
    const produce = async (from: number, to: number) => {
      const lines = Array.from({ length: to - from }, (_, j) => from + j).map((i) => `o${i}\t${JSON.stringify({ REGION: `r${i % 5}`, AMOUNT: i % 200 })}`);
      await kcatProduce(servers, 'orders', lines);
    };
    const big = async () => [...new Set((await kcatRecords(servers, 'BIG_ORDERS')).map((r) => r.key?.toString() ?? ''))].sort();
    const counts = async () => {
      const latest = new Map<string, number>();
      for (const r of await kcatRecords(servers, 'REGION_COUNTS')) latest.set(r.key?.toString() ?? '', (JSON.parse(r.value?.toString() ?? '{}') as { N: number }).N);
      return [...latest].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}=${n}`).join(',');
    };
    const countsOf = (n: number) => Array.from({ length: 5 }, (_, r) => `r${r}=${n / 5}`).join(',');
    const bigOf = (n: number) =>
      Array.from({ length: n }, (_, i) => i)
        .filter((i) => i % 200 >= 100)
        .map((i) => `o${i}`)
        .sort();

    const q = background(['run', '--queries-file', app, '--bootstrap-server', servers, '--service-id', run]);
    await until('the run to start', q.output, (o) => o.includes('running 2 persistent queries'), 60_000);
    await produce(0, 500);
    await until('outputs', big, (ks) => ks.length === bigOf(500).length, 30_000);
    await until('counts', counts, (c) => c === countsOf(500), 30_000);

    // The broker goes away for a few seconds, then comes back with its data.
    const down = Date.now();
    await script('stop.sh', env);
    await sleep(3000);
    await script('start.sh', env);
    const outage = Date.now() - down;
    expect(q.proc.exitCode).toBeNull();

    await produce(500, 1000);
    const back = Date.now();
    await until('outputs after the restart', big, (ks) => ks.length === bigOf(1000).length, 90_000);
    await until('counts after the restart', counts, (c) => c === countsOf(1000), 30_000);
    const caughtUp = Date.now() - back;
    expect(await big()).toEqual(bigOf(1000));

    // The outage passed quietly: retried, not reported as failures.
    expect(q.output()).not.toMatch(/Error|\n\s+at /);
    q.proc.kill('SIGTERM');
    expect(await q.exited).toBe(0);
    console.log(
      `broker restart test: broker down and up again in ${outage} ms, queries caught up ${caughtUp} ms after the restart, ${Date.now() - started} ms in all`,
    );
  },
  240_000,
);
